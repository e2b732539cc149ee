import { z } from "zod";
import { permissionProcedure, router } from "../../trpc/init.ts";
import * as screens from "./screens.ts";
import * as service from "./service.ts";
import * as setup from "./setup.ts";
import { findSlots } from "./slots.ts";
import {
  addExceptionInput,
  appointmentIdInput,
  appointmentOutput,
  appointmentTypeInput,
  boardInput,
  boardRow,
  bookInput,
  cancelInput,
  dayInput,
  findSlotsInput,
  pairScreenByCodeInput,
  pairScreenInput,
  publicBoardRow,
  rescheduleInput,
  roomInput,
  screenIdInput,
  screenRow,
  setAvailabilityInput,
  slotOutput,
  upsertProviderInput,
} from "./schemas.ts";

const providerRow = z.object({ id: z.string(), userId: z.string(), name: z.string(), npi: z.string(), specialty: z.string(), color: z.string(), active: z.boolean() });
const locationRow = z.object({ id: z.string(), name: z.string(), timeZone: z.string(), rooms: z.array(z.string()) });
const typeRow = z.object({ id: z.string(), name: z.string(), durationMinutes: z.number(), color: z.string() });
const write = permissionProcedure("schedule:write");
const step = (action: service.TransitionAction) =>
  write
    .input(appointmentIdInput)
    .output(appointmentOutput)
    .mutation(({ ctx, input }) => service.transition(ctx.actor, input.appointmentId, action));

export const schedulingRouter = router({
  locations: permissionProcedure("schedule:read").output(z.array(locationRow)).query(({ ctx }) => setup.listLocations(ctx.actor)),
  providers: permissionProcedure("schedule:read").output(z.array(providerRow)).query(({ ctx }) => setup.listProviders(ctx.actor)),
  appointmentTypes: permissionProcedure("schedule:read").output(z.array(typeRow)).query(({ ctx }) => setup.listAppointmentTypes(ctx.actor)),

  findSlots: permissionProcedure("schedule:read")
    .input(findSlotsInput)
    .output(z.array(slotOutput))
    .query(({ ctx, input }) => findSlots({ ...input, clinicId: ctx.actor.clinicId })),

  book: write.input(bookInput).output(appointmentOutput).mutation(({ ctx, input }) => service.book(ctx.actor, input)),
  reschedule: write.input(rescheduleInput).output(appointmentOutput).mutation(({ ctx, input }) => service.reschedule(ctx.actor, input)),
  cancel: write.input(cancelInput).output(appointmentOutput).mutation(({ ctx, input }) => service.transition(ctx.actor, input.appointmentId, "cancel", { reason: input.reason })),
  confirm: step("confirm"),
  checkIn: step("checkIn"),
  room: write.input(roomInput).output(appointmentOutput).mutation(({ ctx, input }) => service.transition(ctx.actor, input.appointmentId, "room", { room: input.room })),
  startVisit: step("startVisit"),
  checkOut: step("checkOut"),
  markNoShow: step("markNoShow"),

  day: permissionProcedure("schedule:read").input(dayInput).output(z.array(appointmentOutput)).query(({ ctx, input }) => service.day(ctx.actor, input)),
  board: permissionProcedure("schedule:read").input(boardInput).output(z.array(boardRow)).query(({ ctx, input }) => service.board(ctx.actor, input.locationId)),
  publicBoard: permissionProcedure("schedule:read").input(boardInput).output(z.array(publicBoardRow)).query(({ ctx, input }) => service.publicBoard(ctx.actor, input.locationId)),
  patientAppointments: permissionProcedure("schedule:read")
    .input(z.object({ patientId: z.uuid() }))
    .output(z.object({ appointments: z.array(appointmentOutput), noShows: z.number(), noShowRate: z.number() }))
    .query(({ ctx, input }) => service.patientAppointments(ctx.actor, input.patientId)),

  /** Waiting-room screens paired to a location (screens.ts). */
  screens: permissionProcedure("schedule:read").input(boardInput).output(z.array(screenRow)).query(({ ctx, input }) => screens.listScreens(ctx.actor, input.locationId)),
  /** Pairs the calling browser as a screen and signs it out; the token goes into a cookie, never to the page. */
  pairScreen: write
    .input(pairScreenInput)
    .output(z.object({ screen: z.object({ id: z.string(), name: z.string() }), token: z.string() }))
    .mutation(({ ctx, input }) => screens.pairScreen(ctx.actor, input)),
  /** Pairs the screen showing this code (on its unpaired /screen page) to a location. */
  pairScreenByCode: write
    .input(pairScreenByCodeInput)
    .output(z.object({ screen: z.object({ id: z.string(), name: z.string() }) }))
    .mutation(({ ctx, input }) => screens.pairScreenByCode(ctx.actor, input)),
  revokeScreen: write.input(screenIdInput).output(z.object({ revoked: z.boolean() })).mutation(({ ctx, input }) => screens.revokeScreen(ctx.actor, input.screenId)),

  setup: router({
    upsertProvider: permissionProcedure("schedule:setup").input(upsertProviderInput).output(providerRow).mutation(({ ctx, input }) => setup.upsertProvider(ctx.actor, input)),
    createAppointmentType: permissionProcedure("schedule:setup").input(appointmentTypeInput).output(typeRow).mutation(({ ctx, input }) => setup.createAppointmentType(ctx.actor, input)),
    setAvailability: permissionProcedure("schedule:setup")
      .input(setAvailabilityInput)
      .output(z.array(z.object({ weekday: z.number(), startTime: z.string(), endTime: z.string() })))
      .mutation(({ ctx, input }) => setup.setAvailability(ctx.actor, input)),
    addException: permissionProcedure("schedule:setup").input(addExceptionInput).output(z.object({ id: z.string() })).mutation(({ ctx, input }) => setup.addException(ctx.actor, input)),
  }),
});
