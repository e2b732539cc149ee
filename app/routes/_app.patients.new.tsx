import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { requirePermission } from "~/features/patients/guard.server";
import { RegisterForm } from "~/features/patients/register-form";
import { callServer } from "~/lib/caller.server";

export const meta: MetaFunction = () => [{ title: "Register patient · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "patient:write");
  const providers = await callServer(request, () => context.caller.patients.careProviders());
  return { providers };
}

export default function RegisterPatient() {
  const { providers } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <header>
        <Link to="/patients" className="text-sm font-medium text-brand-700 hover:underline">
          ← Patients
        </Link>
        <h1 id="register-heading" className="mt-2 text-2xl font-semibold text-ink">
          Register patient
        </h1>
        <p className="mt-1 text-sm text-ink-muted">
          Given name, family name, date of birth and sex assigned at birth are required; everything else can be added later.
        </p>
      </header>
      <RegisterForm providers={providers} />
    </div>
  );
}
