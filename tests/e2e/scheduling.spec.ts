import { expect, test, type Locator, type Page } from "@playwright/test";

/**
 * The front desk and the waiting room, live: a receptionist books and checks in a patient, a
 * nurse's board shows them without reloading, rooming them updates the board and the public
 * screen, and the public screen never shows the patient's name.
 *
 * Independent of the wall clock: when no slot is left today at Riverside (slots exist only
 * 08:00–18:00 America/New_York), the receptionist checks in an appointment the demo seed booked
 * later today instead of booking one.
 */
const PASSWORD = "carelane-demo";

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/** Letters only (names are validated as names), different on every run. */
function uniqueLetters(length = 10): string {
  return Array.from({ length }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Picks a room from the location's rooms (a list, not free text) and rooms the patient. */
async function roomPatient(row: Locator, room: string) {
  const control = row.getByRole("combobox", { name: /^Room for / });
  // Riverside's rooms, from the location itself.
  await expect(control.getByRole("option")).toHaveText(["Choose…", /^Exam 1/, /^Exam 2/, /^Exam 3/]);
  await control.selectOption(room);
  await clickAndWaitFor(row.page(), "scheduling.room", row.getByRole("button", { name: /^(Room|Move) / }));
}

/** Clicks, then waits until the server has answered the tRPC mutation the click sends. */
async function clickAndWaitFor(page: Page, procedure: string, button: Locator) {
  const answered = page.waitForResponse((r) => r.url().includes(`/api/trpc/${procedure}`) && r.request().method() === "POST");
  await button.click();
  expect((await answered).ok(), `${procedure} failed`).toBe(true);
}

test("reception checks a patient in; the board and the public screen follow live, without names on the screen", async ({ browser }) => {
  // Three pages and two sign-ins in one journey.
  test.setTimeout(90_000);

  // Context B: the nurse watches Riverside's board.
  const board = await (await browser.newContext()).newPage();
  await signIn(board, "nurse@carelane.test");
  await board.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Waiting room" }).click();
  await board.getByRole("list", { name: "Locations" }).getByRole("link", { name: "Riverside", exact: true }).click();
  await expect(board.getByRole("heading", { level: 1, name: "Waiting room · Riverside" })).toBeVisible();
  const riversideId = new URL(board.url()).pathname.split("/").pop()!;
  // A failed run on a reused local server can leave its patient in Exam 2 (one patient per room).
  const leftInExam2 = board.getByRole("row").filter({ has: board.getByRole("cell", { name: "Exam 2", exact: true }) });
  if (await leftInExam2.count()) {
    await leftInExam2.getByRole("button", { name: /^Check out / }).click();
    await expect(leftInExam2).toHaveCount(0);
  }

  // The public screen is its own display (a window of its own: background tabs are throttled): a
  // receptionist signs in on the "TV", pairs it as Riverside's screen, and is signed out there.
  const screen = await (await browser.newContext()).newPage();
  await signIn(screen, "reception@carelane.test");
  await screen.goto(`/board/${riversideId}/screen`);
  await screen.getByRole("button", { name: "Screens" }).click();
  const screenName = `Riverside TV ${uniqueLetters(4)}`;
  const pairing = screen.getByRole("form", { name: "Pair this browser" });
  await pairing.getByLabel("Screen name").fill(screenName);
  await pairing.getByRole("button", { name: "Pair this browser as the screen" }).click();
  await expect(screen).toHaveURL(/\/screen$/);
  await expect(screen.getByRole("heading", { level: 1, name: /Riverside/ })).toBeVisible();
  await expect(screen.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  // No one is signed in on the TV any more: a staff page asks for a sign-in.
  const staffPage = await screen.context().newPage();
  await staffPage.goto("/patients");
  await expect(staffPage).toHaveURL(/\/login/);
  await staffPage.close();

  // Context A: the receptionist on today's schedule at Riverside.
  const reception = await (await browser.newContext()).newPage();
  await signIn(reception, "reception@carelane.test");
  await reception.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Schedule" }).click();
  await expect(reception.getByRole("heading", { level: 1, name: "Schedule" })).toBeVisible();
  await reception.getByRole("form", { name: "Choose the day" }).getByLabel("Location").selectOption({ label: "Riverside" });
  await expect(reception).toHaveURL(new RegExp(`locationId=${riversideId}`));
  await expect(reception.getByText(/Riverside · .* \(today\)/)).toBeVisible();

  // A patient of this run only, registered through the API (the patients UI is tested elsewhere).
  const familyName = `Quill${uniqueLetters()}`;
  const givenName = "Ada";
  const registered = await reception.request.post("/api/trpc/patients.register", {
    // Earlier runs' patients look alike (same given name, similar made-up family names).
    data: { givenName, familyName, dateOfBirth: "1980-04-12", sex: "FEMALE", confirmDuplicate: true },
  });
  expect(registered.ok(), await registered.text()).toBe(true);

  // Book through the panel: patient typeahead, type, today, Find slots, first slot, Book.
  await reception.getByRole("button", { name: "Book appointment" }).click();
  const finder = reception.getByRole("form", { name: "Find slots" });
  await finder.getByRole("combobox", { name: "Patient" }).fill(familyName);
  await reception.getByRole("option", { name: new RegExp(familyName) }).click();
  await expect(reception.getByTestId("picked-patient")).toHaveText(`${familyName}, ${givenName}`);
  await finder.getByLabel("Appointment type").selectOption({ label: "Follow-up (30 min)" });
  await finder.getByRole("button", { name: "Find slots" }).click();
  await expect(reception.getByRole("heading", { name: /^Open slots on / })).toBeVisible();
  const slots = reception.getByRole("list", { name: /^Open slots on / }).getByRole("button");

  let patientName: string;
  if ((await slots.count()) > 0) {
    await slots.first().click();
    await reception.getByRole("button", { name: "Book", exact: true }).click();
    await expect(reception.getByRole("status").filter({ hasText: "Booked." })).toBeVisible();
    patientName = `${familyName}, ${givenName}`;
  } else {
    // No slot left today (slots are 08:00–18:00 in New York): check in one the seed booked for later today.
    const bookable = reception.getByRole("row").filter({ has: reception.getByRole("button", { name: /^Check in / }) });
    expect(await bookable.count(), "no slot left today and no booked appointment to check in").toBeGreaterThan(0);
    const name = await bookable.last().getByRole("cell").nth(1).locator("span.font-medium").innerText();
    patientName = name.trim();
  }
  const family = patientName.split(",")[0]!;
  const nameInRow = new RegExp(escapeRegExp(patientName));

  // A checks in; B's board shows the patient within 2 s, without a reload.
  const scheduleRow = reception.getByRole("row", { name: nameInRow });
  await expect(scheduleRow).toBeVisible();
  // "Within 2 s" is the live path (event, refetch, render), counted once the server has answered A.
  await clickAndWaitFor(reception, "scheduling.checkIn", scheduleRow.getByRole("button", { name: /^Check in / }));
  const boardRow = board.getByRole("row", { name: nameInRow });
  await expect(boardRow).toBeVisible({ timeout: 2000 });
  await expect(boardRow.getByText("Checked in")).toBeVisible();
  await expect(boardRow.getByRole("timer")).toHaveText(/^\d{2}:\d{2}/);
  await expect(scheduleRow.getByText("Checked in")).toBeVisible();
  const ticket = (await boardRow.getByRole("cell").first().innerText()).trim();
  expect(ticket).toMatch(/^\d+$/);

  // The public screen lists the ticket with initials, live, and no name.
  const initials = `${patientName.split(", ")[1]!.charAt(0)}${family.charAt(0)}`.toUpperCase();
  // (first(): tickets restart each day, and earlier runs' patients share these initials.)
  await expect(screen.getByTestId("waiting").filter({ hasText: new RegExp(`^${ticket}\\s*${initials}$`) }).first()).toBeVisible({ timeout: 2000 });

  // A rooms the patient from the waiting room board; B's board and the screen update live.
  await reception.getByRole("main").getByRole("link", { name: "Waiting room", exact: true }).click();
  await expect(reception.getByRole("heading", { level: 1, name: "Waiting room · Riverside" })).toBeVisible();
  await roomPatient(reception.getByRole("row", { name: nameInRow }), "Exam 2");
  await expect(boardRow.getByRole("cell", { name: "Exam 2", exact: true })).toBeVisible({ timeout: 2000 });
  await expect(boardRow.getByText("Roomed")).toBeVisible();
  const calling = screen.getByTestId("calling").filter({ hasText: "Please go to Exam 2" });
  await expect(calling).toBeVisible({ timeout: 2000 });
  await expect(calling).toContainText(ticket);
  await expect(calling).toContainText(initials);

  // No PHI on the screen: not in the text, not in the page's serialized data (the made-up family
  // name of this run's patient cannot occur by chance; a seeded one might, so check the full name).
  await expect(screen.locator("body")).not.toContainText(family);
  expect(await screen.content()).not.toContain(patientName.startsWith("Quill") ? family : patientName);

  // B checks the patient out: they leave the board and the screen (and Exam 2 is free again).
  await clickAndWaitFor(board, "scheduling.checkOut", boardRow.getByRole("button", { name: /^Check out / }));
  await expect(boardRow).toHaveCount(0, { timeout: 2000 });
  await expect(calling).toHaveCount(0, { timeout: 2000 });

  // The nurse unpairs the TV from the screen page: it stops showing the waiting room at once.
  await board.goto(`/board/${riversideId}/screen`);
  await board.getByRole("button", { name: "Screens" }).click();
  await board.getByRole("button", { name: `Unpair ${screenName}` }).click();
  await expect(screen.getByRole("heading", { level: 1, name: "This screen is not paired" })).toBeVisible({ timeout: 5000 });
});

test("a TV shows a pairing code; the front desk pairs it from their own computer and it shows the waiting room", async ({ browser }) => {
  test.setTimeout(60_000);
  const tv = await (await browser.newContext()).newPage();
  await tv.goto("/screen");
  await expect(tv.getByRole("heading", { level: 1, name: "This screen is not paired" })).toBeVisible();
  const code = (await tv.getByTestId("pairing-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

  const desk = await (await browser.newContext()).newPage();
  await signIn(desk, "reception@carelane.test");
  await desk.goto("/board");
  await desk.getByRole("list", { name: "Locations" }).getByRole("link", { name: "Riverside", exact: true }).click();
  await expect(desk.getByRole("heading", { level: 1, name: "Waiting room · Riverside" })).toBeVisible();
  const riversideId = new URL(desk.url()).pathname.split("/").pop()!;
  await desk.goto(`/board/${riversideId}/screen`);
  await desk.getByRole("button", { name: "Screens" }).click();
  const form = desk.getByRole("form", { name: "Pair a screen by code" });
  await form.getByLabel("Pairing code").fill(code.toLowerCase());
  await form.getByLabel("Name of that screen").fill(`Riverside hall ${uniqueLetters(4)}`);
  await form.getByRole("button", { name: "Pair the screen" }).click();
  // The TV finds itself paired on its next check, and the desk is still signed in.
  await expect(tv.getByRole("heading", { level: 1, name: /Riverside/ })).toBeVisible({ timeout: 10_000 });
  await expect(desk.getByRole("navigation", { name: "Main" })).toHaveCount(0); // the screen page has no menu…
  await desk.goto("/board");
  await expect(desk.getByRole("navigation", { name: "Main" })).toBeVisible(); // …but the session is intact
});

test("a slot taken while booking comes back as a conflict that offers the next free times", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, "reception@carelane.test");
  await page.goto("/schedule");
  await page.getByRole("form", { name: "Choose the day" }).getByLabel("Location").selectOption({ label: "Riverside" });
  await expect(page).toHaveURL(/locationId=/);
  const locationId = new URL(page.url()).searchParams.get("locationId")!;

  // Two patients of this run: one booked in the browser, one by "someone else" through the API.
  const register = async (familyName: string) => {
    const response = await page.request.post("/api/trpc/patients.register", {
      data: { givenName: "Bo", familyName, dateOfBirth: "1975-09-30", sex: "MALE", confirmDuplicate: true },
    });
    expect(response.ok(), await response.text()).toBe(true);
    return ((await response.json()) as { result: { data: { id: string } } }).result.data.id;
  };
  const mine = `Wren${uniqueLetters()}`;
  const mineId = await register(mine);
  const otherId = await register(`Rook${uniqueLetters()}`);

  // Tomorrow at the clinic: the provider works every day, so there are always slots.
  const tomorrow = new Date(Date.now() + 24 * 3600_000).toLocaleDateString("en-CA", { timeZone: "America/New_York" });

  await page.getByRole("button", { name: "Book appointment" }).click();
  const finder = page.getByRole("form", { name: "Find slots" });
  // Field errors show next to their field.
  await finder.getByRole("button", { name: "Find slots" }).click();
  await expect(finder.getByLabel("Appointment type")).toHaveAttribute("aria-invalid", "true");
  await expect(finder.getByText("Choose an appointment type")).toBeVisible();

  await finder.getByRole("combobox", { name: "Patient" }).fill(mine);
  await page.getByRole("option", { name: new RegExp(mine) }).click();
  await finder.getByLabel("Appointment type").selectOption({ label: "Follow-up (30 min)" });
  await finder.getByLabel("Date").fill(tomorrow);
  await finder.getByRole("button", { name: "Find slots" }).click();
  const slots = page.getByRole("list", { name: /^Open slots on / }).getByRole("button");
  await expect(slots.first()).toBeVisible();
  await slots.first().click();

  // Meanwhile someone books that very slot for another patient.
  const types = await page.request.get("/api/trpc/scheduling.appointmentTypes");
  const followUp = ((await types.json()) as { result: { data: { id: string; name: string }[] } }).result.data.find((t) => t.name === "Follow-up")!;
  const query = { appointmentTypeId: followUp.id, locationId, from: tomorrow, to: tomorrow, limit: 1 };
  const found = await page.request.get(`/api/trpc/scheduling.findSlots?input=${encodeURIComponent(JSON.stringify(query))}`);
  const [slot] = ((await found.json()) as { result: { data: { providerId: string; start: string }[] } }).result.data;
  const taken = await page.request.post("/api/trpc/scheduling.book", {
    data: { patientId: otherId, providerId: slot!.providerId, locationId, appointmentTypeId: followUp.id, start: slot!.start },
  });
  expect(taken.ok(), await taken.text()).toBe(true);

  await page.getByRole("button", { name: "Book", exact: true }).click();
  const conflict = page.getByRole("alert").filter({ hasText: "That time was just taken." });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText(/is already booked at .* Next free: /);
  const offered = conflict.getByRole("button");
  expect(await offered.count()).toBeGreaterThan(0);
  await offered.first().click();
  await page.getByRole("button", { name: "Book", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Booked." })).toBeVisible();
  // The schedule moves to the booked day and lists the appointment.
  await expect(page).toHaveURL(new RegExp(`date=${tomorrow}`));
  await expect(page.getByRole("row", { name: new RegExp(`${mine}, Bo`) })).toBeVisible();

  // The patient's page lists it as upcoming, with the no-show record.
  await page.goto(`/patients/${mineId}`);
  const appointments = page.getByRole("region", { name: "Appointments" });
  await expect(appointments.getByTestId("no-show-summary")).toHaveText("0 no-shows · no-show rate 0%");
  await expect(appointments.getByRole("list", { name: "Upcoming appointments" }).getByRole("listitem")).toHaveCount(1);
  await expect(appointments.getByRole("list", { name: "Upcoming appointments" })).toContainText("Follow-up");
});
