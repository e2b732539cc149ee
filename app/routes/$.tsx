import { data } from "@remix-run/node";

// Any address no other route matches: a 404 rendered by the root ErrorBoundary.
export function loader() {
  throw data({ message: "Not found" }, { status: 404 });
}

export default function NotFound() {
  return null;
}
