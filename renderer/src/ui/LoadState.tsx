/** A list page's load state: the error as an alert, or "Loading <what>…" until the list arrives. */
export function LoadState({ error, loading, what }: { error: string | null; loading: boolean; what: string }) {
  if (error)
    return (
      <p className="banner banner-error" role="alert">
        {error}
      </p>
    );
  return loading ? <p className="muted">Loading {what}…</p> : null;
}
