/**
 * The websockets' messages as schemas (OpenAPI has no words for a websocket: the document carries
 * these under `x-websocket-messages`). The event schemas are tied to events/event-log.ts's
 * EventType at the bottom, so a new event type fails `tsc` until it is described here.
 */
import { Type as T, type Static, type TSchema } from "@sinclair/typebox";
import type { EventType } from "../../events/event-log.ts";
import { HealthSchema, TaskSchema, VmSchema } from "./wire-schemas.ts";

/** /ws/tasks/{id}: every message is the Task (with `log_offset` in `mode=delta`). */
export const TaskStreamMessage = TaskSchema;

const event = <K extends EventType, D extends TSchema>(type: K, data: D, description: string) =>
  T.Object(
    {
      id: T.Number({ description: "one above the previous event's; send the last one seen as `since` when reconnecting" }),
      type: T.Literal(type),
      at: T.Number({ description: "Unix seconds" }),
      data,
    },
    { description },
  );

export const EventStreamMessage = T.Union(
  [
    T.Object({ type: T.Literal("hello"), id: T.Number() }, { description: "first message without `since`: the id of the newest event" }),
    T.Object({ type: T.Literal("resync"), id: T.Number() }, { description: "events were missed: load everything again and go on from this id" }),
    event("vm.added", VmSchema, "a VM appeared (the whole VM)"),
    event("vm.changed", VmSchema, "a VM changed (the whole VM)"),
    event("vm.removed", T.Object({ name: T.String() }), "a VM is gone"),
    event("task.created", TaskSchema, "a task was created (the whole Task)"),
    event("task.updated", TaskSchema, "a task changed: its fields and the log lines since its last event (`log_offset`)"),
    event("task.finished", TaskSchema, "a task completed or failed: its final fields and last lines"),
    event("health", HealthSchema, "GET /api/health changed"),
  ],
  { description: "One message of /ws/events" },
);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const tied = <_ extends true>() => {};
tied<Same<Exclude<Static<typeof EventStreamMessage>["type"], "hello" | "resync">, EventType>>();
