import { type PageId } from './pages';

const plans: Record<Exclude<PageId, 'receivers' | 'settings' | 'live' | 'sync'>, { title: string; text: string }> = {
  sessions: { title: 'Recording sessions', text: 'Create a session for a known transmitter, record with all chosen receivers while marking key-ups (hold Space), then review, label and approve each segment.' },
  datasets: { title: 'Datasets', text: 'Build training datasets from approved sessions with filters and deterministic splits, and export them as SigMF, NumPy or a manifest.' },
};

export function PlaceholderPage({ page }: { page: Exclude<PageId, 'receivers' | 'settings' | 'live' | 'sync'> }) {
  const plan = plans[page];
  return (
    <section className="page">
      <header className="page-header">
        <h1>{plan.title}</h1>
      </header>
      <div className="empty-state">
        <p>{plan.text}</p>
        <p className="muted">This page is not built yet.</p>
      </div>
    </section>
  );
}
