import { useToast } from './Toasts';
import { errorText } from './format';

interface Named {
  id: string;
  name: string;
}

/**
 * Save (create or update) and delete-with-undo for a list page's items, with the toasts the pages
 * share: "Added X." / "Saved X." / "Deleted X." with an Undo that re-creates the item from `inputOf`.
 */
export function useSaveAndDelete<T extends Named, I>(opts: {
  create: (input: I) => Promise<T>;
  update: (id: string, input: I) => Promise<T>;
  remove: (id: string) => Promise<unknown>;
  /** What re-creates a deleted item (its fields without id and timestamps). */
  inputOf: (item: T) => I;
  reload: () => void;
  editing: T | 'new' | null;
  setEditing: (e: T | 'new' | null) => void;
}) {
  const toast = useToast();
  const save = async (input: I) => {
    const { editing } = opts;
    if (editing === 'new') {
      const r = await opts.create(input);
      toast({ kind: 'info', text: `Added ${r.name}.` });
    } else if (editing) {
      const r = await opts.update(editing.id, input);
      toast({ kind: 'info', text: `Saved ${r.name}.` });
    }
    opts.setEditing(null);
    opts.reload();
  };
  const remove = async (item: T) => {
    try {
      await opts.remove(item.id);
      opts.reload();
      const input = opts.inputOf(item);
      toast({
        kind: 'info',
        text: `Deleted ${item.name}.`,
        action: { label: 'Undo', run: () => void opts.create(input).then(opts.reload, (e: Error) => toast({ kind: 'error', text: e.message })) },
      });
    } catch (e) {
      toast({ kind: 'error', text: errorText(e) });
    }
  };
  return { save, remove };
}
