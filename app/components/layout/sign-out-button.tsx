import { AuthForm } from "~/components/auth-form";
import { Button } from "~/components/ui/button";
import { useToast } from "~/components/ui/toast";
import { closeSocket } from "~/lib/socket";

/** Posts to Auth.js, which ends the server-side session and redirects to /login. */
export function SignOutButton() {
  const { toast } = useToast();
  return (
    <AuthForm
      action="/api/auth/signout"
      // Our own sign-out, not an expiry: close the live connection before the server drops it.
      onBeforeSubmit={closeSocket}
      onError={() => toast({ tone: "danger", title: "Could not sign out. Check your connection and try again." })}
    >
      {({ disabled }) => (
        <>
          <input type="hidden" name="callbackUrl" value="/login" />
          <Button type="submit" variant="secondary" size="sm" disabled={disabled}>
            Sign out
          </Button>
        </>
      )}
    </AuthForm>
  );
}
