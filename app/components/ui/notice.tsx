import type { ReactNode } from "react";

type Tone = "info" | "success" | "warn" | "danger";

const toneClass: Record<Tone, string> = {
  info: "border-brand-200 bg-brand-50 text-brand-900",
  success: "border-ok-200 bg-ok-50 text-ok-700",
  warn: "border-warn-200 bg-warn-50 text-warn-700",
  danger: "border-danger-200 bg-danger-50 text-danger-700",
};

interface NoticeProps {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  /** Buttons or links, shown under the text. */
  actions?: ReactNode;
  /**
   * "alert" for something that went wrong and needs attention now; "status" for news that can
   * wait its turn; none for text that was on the page from the start.
   */
  role?: "alert" | "status";
  className?: string;
}

/** An in-page message box: errors that belong to a form, notices about the record on screen. */
export function Notice({ tone = "info", title, children, actions, role, className = "" }: NoticeProps) {
  return (
    <div role={role} className={`rounded-lg border px-4 py-3 text-sm ${toneClass[tone]} ${className}`}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
      {actions ? <div className="mt-3 flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}
