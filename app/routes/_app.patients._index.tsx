import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useNavigate } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { buttonClass } from "~/components/ui/button";
import { requirePermission } from "~/features/patients/guard.server";
import { PatientSearch } from "~/features/patients/patient-search";
import type { SearchHit } from "~/features/patients/types";
import { useCan } from "~/features/patients/use-can";

export const meta: MetaFunction = () => [{ title: "Patients · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

/** Searching happens in the browser (the text is PHI and stays out of URLs); the loader only checks access. */
export function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "patient:read");
  return null;
}

const patientHref = (hit: SearchHit) => `/patients/${hit.id}`;

export default function PatientsIndex() {
  const navigate = useNavigate();
  const canRegister = useCan("patient:write");
  const registerLink = canRegister ? (
    <Link to="/patients/new" className={buttonClass("primary")}>
      Register patient
    </Link>
  ) : null;

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold text-ink">Patients</h1>
          <p className="mt-1 text-sm text-ink-muted">Find a patient by name, MRN, date of birth or phone number.</p>
        </div>
        {registerLink}
      </header>
      <PatientSearch
        remember
        slashShortcut
        autoFocus
        onOpen={(hit) => navigate(patientHref(hit))}
        hrefFor={patientHref}
        noResultsAction={
          canRegister ? (
            <Link to="/patients/new" className="font-medium text-brand-700 hover:underline">
              Register a new patient
            </Link>
          ) : null
        }
      />
    </div>
  );
}
