import { type SessionState } from '../../../shared/domain/sessions';
import './ui.css';

const LABEL: Record<SessionState, string> = {
  draft: 'Draft',
  recording: '● Recording',
  review: 'To review',
  approved: '✓ Approved',
  rejected: '✗ Rejected',
  failed: 'Failed',
  aborted: 'Aborted',
};

export function StateBadge({ state, title }: { state: SessionState; title?: string | null }) {
  return (
    <span className={`sbadge sbadge-${state}`} title={title ?? undefined} data-state={state}>
      {LABEL[state]}
    </span>
  );
}
