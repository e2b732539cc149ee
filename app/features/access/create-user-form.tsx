import { useRef } from "react";
import { ROLES, type Role } from "../../../server/permissions/registry.ts";
import { Button } from "~/components/ui/button";
import { SelectField, TextField } from "~/components/ui/field";
import { useToast } from "~/components/ui/toast";
import { ROLE_LABEL } from "~/lib/roles";
import { fieldErrorsOf, trpc } from "~/lib/trpc";

const ROLE_OPTIONS = [{ value: "", label: "Choose a role" }, ...ROLES.map((role) => ({ value: role, label: ROLE_LABEL[role] }))];

/** New staff account. Field messages come from the server (zod or the service), next to each field. */
export function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const { toast } = useToast();
  const createUser = trpc.access.createUser.useMutation({
    onSuccess: (user) => {
      formRef.current?.reset();
      toast({ tone: "success", title: `${user.name} can now sign in as ${ROLE_LABEL[user.role]}.` });
      onCreated();
    },
  });
  const errors = fieldErrorsOf(createUser.error);

  return (
    <form
      ref={formRef}
      aria-labelledby="create-user-heading"
      className="grid gap-4 sm:grid-cols-2"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        createUser.mutate({
          name: String(form.get("name") ?? ""),
          email: String(form.get("email") ?? ""),
          role: String(form.get("role") ?? "") as Role,
          password: String(form.get("password") ?? ""),
        });
      }}
    >
      <h2 id="create-user-heading" className="text-lg font-semibold text-ink sm:col-span-2">
        Add a staff member
      </h2>
      <TextField label="Full name" name="name" autoComplete="off" required maxLength={120} errors={errors.name} />
      <TextField label="Email" name="email" type="email" autoComplete="off" required maxLength={254} errors={errors.email} />
      <SelectField label="Role" name="role" required options={ROLE_OPTIONS} defaultValue="" errors={errors.role} />
      <TextField
        label="Temporary password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters. Share it in person; they should change it after signing in."
        errors={errors.password}
      />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={createUser.isPending}>
          {createUser.isPending ? "Adding…" : "Add staff member"}
        </Button>
      </div>
    </form>
  );
}
