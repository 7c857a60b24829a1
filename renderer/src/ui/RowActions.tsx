/** A list row's Edit and Delete buttons, labelled with the row's name for screen readers and tests. */
export function RowActions({ name, onEdit, onDelete }: { name: string; onEdit: () => void; onDelete: () => void }) {
  return (
    <td className="row-actions">
      <button className="btn btn-small" onClick={onEdit} aria-label={`Edit ${name}`}>
        Edit
      </button>
      <button className="btn btn-small btn-danger" onClick={onDelete} aria-label={`Delete ${name}`}>
        Delete
      </button>
    </td>
  );
}
