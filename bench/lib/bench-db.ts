/** Where the benchmarks keep their data, and who signs in: shared by the seed and every bench. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/carelane_bench";
export const BENCH_CLINIC_SLUG = "bench";
export const BENCH_PASSWORD = "carelane-bench";
export const BENCH_ROLES = ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"] as const;
export type BenchRole = (typeof BENCH_ROLES)[number];
export const benchEmail = (role: BenchRole) => `${role.toLowerCase()}@bench.carelane.test`;
export const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
