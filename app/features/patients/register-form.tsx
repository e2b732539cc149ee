import { Link, useNavigate } from "@remix-run/react";
import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button, buttonClass } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, fieldErrorsOf, isTrpcError, trpc } from "~/lib/trpc";
import { DemographicsFields } from "./demographics-fields";
import { EMPTY_VALUES, toRegisterInput, type DemographicsValues } from "./demographics-values";
import { DuplicatesPanel } from "./duplicates-panel";
import type { CareProvider, DuplicateCandidate } from "./types";
import { useDebouncedValue } from "./use-debounced-value";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// Ten digits with a plausible North American area code and exchange; anything else is left out
// of the live check rather than failing it (the server validates phones properly on save).
const PLAUSIBLE_PHONE = /^(?:\+?1)?[2-9]\d{2}[2-9]\d{6}$/;

/** The live duplicate check's input, once name and a complete date of birth are there. */
function duplicateQuery(v: DemographicsValues, withPhones: boolean) {
  const givenName = v.givenName.trim();
  const familyName = v.familyName.trim();
  const dob = v.dateOfBirth;
  if (!givenName || !familyName || !ISO_DATE.test(dob) || dob < "1900-01-01" || dob > new Date().toISOString().slice(0, 10)) return null;
  const phone = (p: string) => {
    const digits = p.replace(/\D/g, "");
    return withPhones && PLAUSIBLE_PHONE.test(digits) ? p : undefined;
  };
  return { givenName, familyName, dateOfBirth: dob, phoneMobile: phone(v.phoneMobile), phoneHome: phone(v.phoneHome) };
}

/** Duplicates the server named when it refused to register (CONFLICT with details.duplicates). */
function conflictDuplicates(error: unknown): DuplicateCandidate[] {
  if (!isTrpcError(error) || error.data?.code !== "CONFLICT") return [];
  const details = (error.data as { details?: { duplicates?: DuplicateCandidate[] } | null }).details;
  return details?.duplicates ?? [];
}

export function RegisterForm({ providers }: { providers: CareProvider[] }) {
  const navigate = useNavigate();
  const { toast } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<DemographicsValues>(EMPTY_VALUES);
  const onChange = (patch: Partial<DemographicsValues>) => setValues((v) => ({ ...v, ...patch }));

  const register = trpc.patients.register.useMutation({
    meta: { silentErrors: true }, // shown in the form, next to the fields
    onSuccess: (patient) => {
      toast({ tone: "success", title: `Registered ${patient.givenName} ${patient.familyName}`, description: `MRN ${patient.mrn}` });
      navigate(`/patients/${patient.id}`);
    },
  });
  const errors = fieldErrorsOf(register.error);

  // Live check while typing: name + date of birth, and phones once they look complete. If the
  // check with phones fails (a number the server cannot parse), the one without them still runs.
  const withPhones = useDebouncedValue(duplicateQuery(values, true), 300);
  const withoutPhones = duplicateQuery(values, false);
  const primary = trpc.patients.duplicates.useQuery(withPhones ?? { givenName: "", familyName: "", dateOfBirth: "" }, {
    enabled: withPhones !== null,
    placeholderData: keepPreviousData,
    meta: { silentErrors: true },
    staleTime: 0,
  });
  const fallback = trpc.patients.duplicates.useQuery(withoutPhones ?? { givenName: "", familyName: "", dateOfBirth: "" }, {
    enabled: withoutPhones !== null && primary.isError,
    meta: { silentErrors: true },
    staleTime: 0,
  });
  const live = withPhones === null ? [] : primary.isError ? (fallback.data ?? []) : (primary.data ?? []);

  const fromConflict = conflictDuplicates(register.error);
  const candidates = [...fromConflict, ...live.filter((c) => !fromConflict.some((d) => d.id === c.id))];
  // A confirmation covers the records it was given for; a new look-alike needs a new look.
  const candidateKey = candidates
    .map((c) => c.id)
    .sort()
    .join(",");
  const [confirmedFor, setConfirmedFor] = useState<string | null>(null);
  const confirmed = candidates.length > 0 && confirmedFor === candidateKey;

  // After a refused save, take the user to what needs attention.
  useEffect(() => {
    if (!register.error) return;
    const invalid = formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]");
    if (invalid) invalid.focus();
    else document.getElementById("register-error")?.scrollIntoView({ block: "center", behavior: "smooth" });
  }, [register.error]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (register.isPending) return;
    register.mutate(toRegisterInput(values, confirmed));
  }

  const isConflict = isTrpcError(register.error) && register.error.data?.code === "CONFLICT";

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} aria-labelledby="register-heading" className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="rounded-lg border border-surface-border bg-surface p-6 shadow-card">
        <DemographicsFields values={values} onChange={onChange} errors={errors} providers={providers} mode="register" />
      </div>

      <div className="space-y-4 lg:sticky lg:top-4 lg:self-start">
        {candidates.length > 0 ? (
          <DuplicatesPanel
            candidates={candidates}
            checking={primary.isFetching}
            confirmed={confirmed}
            onConfirmedChange={(checked) => setConfirmedFor(checked ? candidateKey : null)}
          />
        ) : (
          <div className="rounded-lg border border-dashed border-surface-border bg-surface px-4 py-3 text-sm text-ink-muted">
            {withPhones === null
              ? "Once a name and date of birth are in, existing patients who look the same are listed here."
              : primary.isFetching
                ? "Checking for existing patients…"
                : "No existing patient looks like this one."}
          </div>
        )}

        {register.error ? (
          <div id="register-error">
            <Notice tone={isConflict ? "warn" : "danger"} role="alert" title={isConflict ? "Possible duplicate" : "The patient was not registered"}>
              {errorMessageOf(register.error)}
              {isConflict ? " Tick “This is a different person” above if they are not the same." : ""}
            </Notice>
          </div>
        ) : null}

        <div className="flex flex-wrap gap-3">
          <Button type="submit" disabled={register.isPending}>
            {register.isPending ? "Registering…" : "Register patient"}
          </Button>
          <Link to="/patients" className={buttonClass("ghost")}>
            Cancel
          </Link>
        </div>
      </div>
    </form>
  );
}
