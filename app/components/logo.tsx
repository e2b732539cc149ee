/** The Carelane wordmark: a simple lane mark, so there is no image to load. */
export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold text-ink ${className}`}>
      <svg viewBox="0 0 24 24" className="h-6 w-6 text-brand-600" aria-hidden="true">
        <rect x="2" y="2" width="20" height="20" rx="6" fill="currentColor" />
        <path d="M8 7v10M12 7v10M16 7v10" stroke="white" strokeWidth="2" strokeLinecap="round" opacity="0.9" />
      </svg>
      Carelane
    </span>
  );
}
