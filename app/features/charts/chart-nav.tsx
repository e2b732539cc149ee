import { NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import type { ChartSectionName } from "./types";

const TABS: { to: string; label: string; section: ChartSectionName }[] = [
  { to: "", label: "Summary", section: "summary" },
  { to: "vitals", label: "Vitals", section: "vitals" },
  { to: "problems", label: "Problems", section: "problems" },
  { to: "allergies", label: "Allergies", section: "allergies" },
  { to: "medications", label: "Medications", section: "medications" },
  { to: "labs", label: "Labs", section: "labs" },
];

const tabClass = (active: boolean) =>
  `inline-block border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${
    active ? "border-brand-600 text-brand-700" : "border-transparent text-ink-muted hover:border-surface-border hover:text-ink"
  }`;

/** The chart's sections as tabs, with who else is here on the right. */
export function ChartNav({ base, section, aside }: { base: string; section: ChartSectionName; aside?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-x-4 gap-y-2 border-b border-surface-border">
      <nav aria-label="Chart sections" className="-mb-px overflow-x-auto">
        <ul className="flex gap-1">
          {TABS.map((tab) => (
            <li key={tab.section}>
              <NavLink to={tab.to ? `${base}/${tab.to}` : base} end={!tab.to} prefetch="intent" className={({ isActive }) => tabClass(isActive)}>
                {tab.label}
              </NavLink>
            </li>
          ))}
          {section === "encounter" ? (
            <li>
              <span aria-current="page" className={tabClass(true)}>
                Encounter
              </span>
            </li>
          ) : null}
        </ul>
      </nav>
      {aside ? <div className="pb-1.5">{aside}</div> : null}
    </div>
  );
}
