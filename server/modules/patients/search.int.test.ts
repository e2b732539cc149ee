import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "../../db.ts";
import { createClinic, type ClinicFixture } from "../../../tests/factories/index.ts";
import { withCheckDigit } from "./service.ts";
import { searchOutput, searchPatients, type SearchInput } from "./search.ts";

interface PatientSeed {
  given: string;
  family: string;
  middle?: string;
  preferred?: string;
  dob: string;
  sex?: "FEMALE" | "MALE" | "INTERSEX" | "UNKNOWN";
  status?: "ACTIVE" | "INACTIVE" | "DECEASED" | "MERGED";
  mergedIntoId?: string;
  phoneMobile?: string;
  phoneHome?: string;
}

type Client = Pick<typeof db, "$queryRaw" | "patient">;

/** A patient written straight to the table, MRN from the real sequence (as registration does). */
async function addPatient(clinicId: string, p: PatientSeed, client: Client = db) {
  const [row] = await client.$queryRaw<{ n: bigint }[]>`SELECT nextval('patient_mrn_seq') AS n`;
  return client.patient.create({
    data: {
      clinicId,
      mrn: withCheckDigit(String(row!.n)),
      givenName: p.given,
      familyName: p.family,
      middleName: p.middle ?? null,
      preferredName: p.preferred ?? null,
      dateOfBirth: new Date(`${p.dob}T00:00:00Z`),
      sex: p.sex ?? "UNKNOWN",
      status: p.status ?? "ACTIVE",
      mergedIntoId: p.mergedIntoId ?? null,
      phoneMobile: p.phoneMobile ?? null,
      phoneHome: p.phoneHome ?? null,
    },
    select: { id: true, mrn: true },
  });
}

/** Birth date for someone who turns `years` old `daysAgo` days ago (so exactly `years` today). */
function bornYearsAgo(years: number, daysAgo = 10): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return d.toISOString().slice(0, 10);
}

let fixture: ClinicFixture;
let clinicId: string;
let other: ClinicFixture;
const ids: Record<string, string> = {};
const mrns: Record<string, string> = {};

beforeAll(async () => {
  fixture = await createClinic();
  other = await createClinic();
  clinicId = fixture.clinic.id;
  const seeds: Record<string, PatientSeed> = {
    johnSmith: { given: "John", family: "Smith", dob: "1984-03-27", sex: "MALE", phoneMobile: "+16175550123" },
    janeSmith: { given: "Jane", family: "Smith", dob: "1990-07-04", sex: "FEMALE", phoneHome: "+16175559876" },
    marySmith: { given: "Mary", family: "Smith", dob: bornYearsAgo(70), sex: "FEMALE", status: "DECEASED" },
    johnSmithers: { given: "John", family: "Smithers", dob: "1975-01-15", sex: "MALE" },
    johannaSchmidt: { given: "Johanna", family: "Schmidt", dob: "1984-03-27", sex: "FEMALE" },
    josé: { given: "José", family: "García", middle: "Luis", dob: "1962-11-30", sex: "MALE" },
    jose: { given: "Jose", family: "Garcia", dob: "2001-05-05", sex: "MALE" },
    olderJones: { given: "Walter", family: "Jones", dob: bornYearsAgo(81), sex: "MALE" },
    youngJones: { given: "Lily", family: "Jones", dob: bornYearsAgo(7), sex: "FEMALE", status: "INACTIVE" },
    seanOConnor: { given: "Seán", family: "O'Connor", dob: "1971-08-09", sex: "MALE" },
    anaLopezGarcia: { given: "Ana", family: "López-Gutiérrez", dob: "1995-02-14", sex: "FEMALE" },
  };
  for (const [key, seed] of Object.entries(seeds)) {
    const created = await addPatient(clinicId, seed);
    ids[key] = created.id;
    mrns[key] = created.mrn;
  }
  // A duplicate registration of John Smith, since merged: a tombstone search must never return.
  const merged = await addPatient(clinicId, { given: "John", family: "Smith", dob: "1984-03-27", phoneMobile: "+16175550123", status: "MERGED", mergedIntoId: ids.johnSmith });
  ids.merged = merged.id;
  mrns.merged = merged.mrn;
  // The same person's name and birthday at another clinic.
  const foreign = await addPatient(other.clinic.id, { given: "John", family: "Smith", dob: "1984-03-27", phoneMobile: "+16175550123" });
  ids.foreign = foreign.id;
  mrns.foreign = foreign.mrn;
});

async function search(input: SearchInput) {
  const result = await searchPatients(clinicId, input);
  // What the tRPC procedure will send: the output schema must accept it as is.
  expect(searchOutput.parse(result)).toEqual(result);
  return result;
}

const idsOf = (result: { items: { id: string }[] }) => result.items.map((i) => i.id);

describe("patient search: names", () => {
  it("forgives typos: 'jonh smth' finds John Smith first", async () => {
    const result = await search({ q: "jonh smth" });
    expect(result.kind).toBe("name");
    expect(result.items[0]).toMatchObject({ id: ids.johnSmith, givenName: "John", familyName: "Smith", dateOfBirth: "1984-03-27" });
    expect(result.items[0]!.score).toBeGreaterThan(0);
  });

  it("finds every Smith by full or partial family name, exact family names first", async () => {
    for (const q of ["smith", "smi", "SMIT"]) {
      const result = await search({ q });
      expect(idsOf(result)).toEqual(expect.arrayContaining([ids.johnSmith, ids.janeSmith, ids.marySmith, ids.johnSmithers]));
      expect(idsOf(result)).not.toContain(ids.jose);
    }
    const smith = await search({ q: "smith" });
    // one family name's patients come alphabetically (the family-name index carries the full name)
    expect(idsOf(smith).slice(0, 4)).toEqual([ids.janeSmith, ids.johnSmith, ids.marySmith, ids.johnSmithers]);
  });

  it("reads 'smith, john' as family name then given name", async () => {
    for (const q of ["smith, john", "Smith,John", "john smith"]) {
      const result = await search({ q });
      expect(result.items[0]?.id, q).toBe(ids.johnSmith);
      expect(idsOf(result)).not.toContain(ids.janeSmith);
    }
  });

  it("ignores accents both ways", async () => {
    const plain = await search({ q: "jose garcia" });
    const accented = await search({ q: "José García" });
    for (const result of [plain, accented]) {
      expect(idsOf(result).slice(0, 2).sort()).toEqual([ids.josé, ids.jose].sort());
    }
    expect(accented.items.find((i) => i.id === ids.josé)).toMatchObject({ givenName: "José", familyName: "García" });
    // the middle name is searchable too
    expect(idsOf(await search({ q: "luis garcia" }))[0]).toBe(ids.josé);
  });

  it("returns only the fields meant for a result list (no identifiers, no contact details beyond the mobile)", async () => {
    const result = await search({ q: "john smith" });
    expect(Object.keys(result.items[0]!).sort()).toEqual(
      ["dateOfBirth", "familyName", "givenName", "id", "mrn", "phoneMobile", "preferredName", "score", "sex", "status"].sort(),
    );
  });

  it("answers punctuation-only input with no results rather than an error", async () => {
    expect(await search({ q: "!!!" })).toEqual({ kind: "name", items: [], total: 0 });
  });
});

describe("patient search: typos", () => {
  const first = async (q: string) => (await search({ q })).items[0]?.id;

  it("finds a name with two neighbouring letters swapped", async () => {
    for (const q of ["jhon smith", "john smtih", "jonh smiht"]) expect(await first(q), q).toBe(ids.johnSmith);
    expect(await first("jsoe garcia"), "accents folded too").toBeOneOf([ids.josé, ids.jose]);
  });

  it("finds a name with a letter missing, added or changed", async () => {
    for (const q of ["jon smith", "john smth", "johnn smitth", "john smoth", "jahn smith"]) expect(await first(q), q).toBe(ids.johnSmith);
  });

  it("finds a name whose first letter is wrong, missing or swapped", async () => {
    for (const q of ["john xmith", "john mith", "john msith", "kohn smith"]) expect(await first(q), q).toBe(ids.johnSmith);
  });

  it("finds typos in both words, in either order, and with a comma", async () => {
    for (const q of ["jonh smth", "smth jonh", "smtih, jonh", "johana shmidt"]) {
      const expected = q.includes("shmidt") ? ids.johannaSchmidt : ids.johnSmith;
      expect(await first(q), q).toBe(expected);
    }
  });

  it("finds a misspelt name typed alone: a family name, then given names", async () => {
    const smith = await search({ q: "smtih" });
    expect(idsOf(smith).sort()).toEqual([ids.janeSmith, ids.johnSmith, ids.marySmith].sort());
    expect(smith.total).toBe(3);
    expect(idsOf(await search({ q: "johanan" }))).toEqual([ids.johannaSchmidt]);
  });

  it("allows two edits in a word of six letters or more, only when one edit finds nobody", async () => {
    // shmitt is two edits from schmidt (c dropped, d for t): the second typo tier
    expect(await first("johanna shmitt")).toBe(ids.johannaSchmidt);
    // ...but not in a word of five letters or fewer: "jones" is not two edits from "jose"
    expect(await search({ q: "jones", filters: { ageMin: 8, ageMax: 80 } })).toMatchObject({ items: [], total: 0 });
    // ...and a single typo keeps two-edit neighbours out: "jane smiht" is not John Smith
    expect(idsOf(await search({ q: "jane smiht" }))).toEqual([ids.janeSmith]);
  });

  it("matches names with apostrophes and hyphens however they are typed", async () => {
    for (const q of ["sean oconnor", "sean o'connor", "sean connor", "sean ocnonor", "o'conor sean", "ana lopez", "ana gutierez", "ana lopez-gutierez"]) {
      const expected = q.startsWith("ana") ? ids.anaLopezGarcia : ids.seanOConnor;
      expect(await first(q), q).toBe(expected);
    }
  });

  it("keeps typo matches out of a list of exact matches", async () => {
    // "jane smith" is found as typed, so the typo tiers do not run: no Jon, Joan or Smit here
    expect(idsOf(await search({ q: "jane smith" }))).toEqual([ids.janeSmith]);
    // nothing within reach: an empty answer, not a list of far-fetched names
    expect(await search({ q: "qqxz wvvz" })).toMatchObject({ items: [], total: 0 });
  });

  it("finds a patient by a typo of a word first seen at registration or on a rename", async () => {
    // The word list is kept by a trigger on patient: no rebuild, no delay.
    const zeb = await addPatient(clinicId, { given: "Quillon", family: "Zebrowska", dob: "1988-06-01" });
    expect(await first("quillon zebrowksa")).toBe(zeb.id);
    await db.patient.update({ where: { id: zeb.id }, data: { familyName: "Wojtaszek" } });
    expect(await first("quillon wojtaszke")).toBe(zeb.id);
    expect(idsOf(await search({ q: "quillon zebrowksa" }))).toEqual([]);
  });

  it("registers the same new word from concurrent transactions without error or duplicate", async () => {
    // The second transaction's ON CONFLICT waits for the first to commit, then skips the word.
    let inserted!: () => void;
    let commit!: () => void;
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    const commitFirst = new Promise<void>((resolve) => (commit = resolve));
    const slow = db.$transaction(async (tx) => {
      const created = await addPatient(clinicId, { given: "Ysolde", family: "Kwiatkowskaja", dob: "1990-01-01" }, tx);
      inserted();
      await commitFirst;
      return created;
    });
    await firstInserted;
    const fast = addPatient(clinicId, { given: "Ysolde", family: "Kwiatkowskaja", dob: "1991-01-01" });
    setTimeout(commit, 200);
    const created = await Promise.all([slow, fast]);
    const words = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM patient_name_word WHERE word IN ('ysolde', 'kwiatkowskaja')`;
    expect(words[0]!.n).toBe(2);
    expect(idsOf(await search({ q: "ysolde kwiatkowksaja" })).sort()).toEqual(created.map((c) => c.id).sort());
  });
});

describe("patient search: MRN, date of birth, phone", () => {
  it("finds a patient by exact MRN, also typed with spaces or dashes", async () => {
    const mrn = mrns.johnSmith!;
    for (const q of [mrn, `${mrn.slice(0, 4)}-${mrn.slice(4)}`, `${mrn.slice(0, 3)} ${mrn.slice(3)}`]) {
      const result = await search({ q });
      expect(result).toMatchObject({ kind: "mrn", total: 1 });
      expect(idsOf(result)).toEqual([ids.johnSmith]);
    }
  });

  it("finds patients by date of birth in several formats", async () => {
    for (const q of ["1984-03-27", "03/27/1984", "3/27/84", "Mar 27 1984", "27 March 1984", "27.03.1984"]) {
      const result = await search({ q });
      expect(result.kind, q).toBe("dob");
      expect(idsOf(result).sort(), q).toEqual([ids.johnSmith, ids.johannaSchmidt].sort());
      expect(result.total).toBe(2);
    }
  });

  it("finds patients by mobile or home phone, whatever the punctuation", async () => {
    for (const q of ["(617) 555-0123", "+1 617.555.0123", "6175550123", "555-0123"]) {
      const result = await search({ q });
      expect(result.kind, q).toBe("phone");
      expect(idsOf(result), q).toEqual([ids.johnSmith]);
      expect(result.items[0]!.phoneMobile).toBe("+16175550123");
    }
    expect(idsOf(await search({ q: "617-555-9876" }))).toEqual([ids.janeSmith]);
  });
});

describe("patient search: scope", () => {
  it("never returns a merged record, by name, MRN, birth date or phone", async () => {
    for (const q of ["john smith", "jonh smth", "smtih", mrns.merged!, "1984-03-27", "617 555 0123", "555 0123"]) {
      expect(idsOf(await search({ q })), q).not.toContain(ids.merged);
    }
    expect(await search({ q: mrns.merged! })).toMatchObject({ items: [], total: 0 });
    expect(idsOf(await search({ q: "smith", filters: { status: "any" }, limit: 100 }))).not.toContain(ids.merged);
  });

  it("never returns another clinic's patient", async () => {
    for (const q of ["john smith", "jonh smth", "smith", mrns.foreign!, "1984-03-27", "(617) 555-0123", "555-0123"]) {
      expect(idsOf(await search({ q })), q).not.toContain(ids.foreign);
    }
    expect(await search({ q: mrns.foreign! })).toMatchObject({ kind: "mrn", items: [], total: 0 });
    // ...and that clinic's search sees its own patient only
    const theirs = await searchPatients(other.clinic.id, { q: "john smith" });
    expect(idsOf(theirs)).toEqual([ids.foreign]);
  });
});

describe("patient search: filters, sorting, paging", () => {
  it("filters by status (default: every status but merged)", async () => {
    expect(idsOf(await search({ q: "smith" }))).toContain(ids.marySmith);
    expect(idsOf(await search({ q: "smith", filters: { status: "DECEASED" } }))).toEqual([ids.marySmith]);
    const active = await search({ q: "smith", filters: { status: "ACTIVE" } });
    expect(idsOf(active)).not.toContain(ids.marySmith);
    expect(active.items.every((i) => i.status === "ACTIVE")).toBe(true);
    expect(idsOf(await search({ q: "jones", filters: { status: "INACTIVE" } }))).toEqual([ids.youngJones]);
  });

  it("filters by age range, inclusive", async () => {
    expect(idsOf(await search({ q: "jones", filters: { ageMin: 80 } }))).toEqual([ids.olderJones]);
    expect(idsOf(await search({ q: "jones", filters: { ageMax: 7 } }))).toEqual([ids.youngJones]);
    expect(idsOf(await search({ q: "jones", filters: { ageMin: 7, ageMax: 81 } })).sort()).toEqual([ids.olderJones, ids.youngJones].sort());
    expect(idsOf(await search({ q: "jones", filters: { ageMin: 8, ageMax: 80 } }))).toEqual([]);
    expect(idsOf(await search({ q: "smith", filters: { ageMin: 70, ageMax: 70 } }))).toEqual([ids.marySmith]);
  });

  it("accepts a location filter and ignores it (patients are clinic-wide for now)", async () => {
    const result = await search({ q: "smith", filters: { locationId: fixture.locations[0]!.id } });
    expect(idsOf(result)).toContain(ids.johnSmith);
  });

  it("sorts by date of birth, name or MRN in either direction", async () => {
    const byDob = await search({ q: "smith", sort: "dateOfBirth", direction: "desc" });
    const dobs = byDob.items.map((i) => i.dateOfBirth);
    expect(dobs).toEqual([...dobs].sort().reverse());
    expect(byDob.total).toBe(4);

    const byName = await search({ q: "smith", sort: "name" });
    expect(byName.items.map((i) => `${i.familyName} ${i.givenName}`)).toEqual(["Smith Jane", "Smith John", "Smith Mary", "Smithers John"]);

    const byMrn = await search({ q: "smith", sort: "mrn", direction: "desc" });
    const mrnList = byMrn.items.map((i) => i.mrn);
    expect(mrnList).toEqual([...mrnList].sort().reverse());
  });

  it("pages with limit and offset without repeating rows", async () => {
    const all = idsOf(await search({ q: "smith", sort: "name" }));
    const first = idsOf(await search({ q: "smith", sort: "name", limit: 2 }));
    const second = idsOf(await search({ q: "smith", sort: "name", limit: 2, offset: 2 }));
    expect([...first, ...second]).toEqual(all);
    // Relevance pages: a page filled by family-name matches alone takes the short statement.
    const ranked = idsOf(await search({ q: "smith" }));
    expect(idsOf(await search({ q: "smith", limit: 2 }))).toEqual(ranked.slice(0, 2));
    expect(idsOf(await search({ q: "smith", limit: 2, offset: 2 }))).toEqual(ranked.slice(2, 4));
    const past = await search({ q: "smith", sort: "name", offset: 50 });
    expect(past.items).toEqual([]);
    expect(past.total).toBe(4);
  });
});

describe("patient search: bad input", () => {
  async function issuesOf(input: unknown) {
    const error = await searchPatients(clinicId, input as SearchInput).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    return (error as ZodError).issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  }

  it("names the field in every message", async () => {
    expect(await issuesOf({ q: "   " })).toEqual([expect.stringMatching(/^q: Search text \(q\) is required/)]);
    expect(await issuesOf({ q: "x".repeat(101) })).toEqual([expect.stringMatching(/^q: .*\(q\) is too long/)]);
    expect(await issuesOf({ q: "smith", limit: 0 })).toEqual(["limit: Page size (limit) must be between 1 and 100"]);
    expect(await issuesOf({ q: "smith", offset: 10_001 })).toEqual(["offset: Offset (offset) must be between 0 and 10000"]);
    expect(await issuesOf({ q: "smith", filters: { ageMin: 50, ageMax: 20 } })).toEqual([
      "filters.ageMin: Minimum age (ageMin) cannot be more than maximum age (ageMax)",
    ]);
    expect(await issuesOf({ q: "smith", filters: { ageMax: 131 } })).toEqual(["filters.ageMax: Maximum age (ageMax) must be between 0 and 130"]);
    expect(await issuesOf({ q: "smith", filters: { status: "MERGED" } })).toEqual([expect.stringMatching(/^filters\.status: Status \(status\)/)]);
    expect(await issuesOf({ q: "smith", filters: { locationId: "nope" } })).toEqual(["filters.locationId: Location (locationId) must be a location id"]);
  });

  it("treats search text as data, never as SQL", async () => {
    for (const q of ["'; DROP TABLE patient; --", "smith%", "_", "\\", "smith' OR '1'='1"]) {
      const result = await search({ q });
      expect(idsOf(result)).not.toContain(ids.foreign);
    }
    expect(await db.patient.count({ where: { clinicId } })).toBeGreaterThan(0);
    // "smith%" is the token "smith": a LIKE wildcard typed by the user is not a wildcard
    expect(idsOf(await search({ q: "_" }))).toEqual([]);
  });
});
