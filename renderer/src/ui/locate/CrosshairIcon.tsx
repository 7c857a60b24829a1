/** A crosshair: the Locate action's icon (an SVG, since fonts often lack U+2316). */
export function CrosshairIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6">
      <circle cx="8" cy="8" r="4.5" />
      <path d="M8 0.5v4M8 11.5v4M0.5 8h4M11.5 8h4" />
    </svg>
  );
}
