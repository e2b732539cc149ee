import { inject } from "vitest";

// Runs before each test file imports server code, which reads its configuration at import time.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.REDIS_PREFIX = inject("redisPrefix");
process.env.NODE_ENV = "test";
// Cheaper argon2 in tests only (production uses the OWASP baseline in server/auth/password.ts).
process.env.ARGON2_MEMORY_KIB ??= "4096";
