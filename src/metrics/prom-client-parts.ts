/**
 * The four prom-client classes this server uses, required from their own files. prom-client's
 * index also loads its Pushgateway (node:http, node:https, node:zlib), cluster aggregation and
 * default process metrics, none of which this server uses, and every start-up paid for loading
 * them. The types are the index's own.
 */
import type * as PromClient from "prom-client";

/* eslint-disable @typescript-eslint/no-require-imports */
export const Registry: typeof PromClient.Registry = require("prom-client/lib/registry");
export const Counter: typeof PromClient.Counter = require("prom-client/lib/counter");
export const Gauge: typeof PromClient.Gauge = require("prom-client/lib/gauge");
export const Histogram: typeof PromClient.Histogram = require("prom-client/lib/histogram");
export type Registry = PromClient.Registry;
export type Counter<T extends string> = PromClient.Counter<T>;
export type Histogram<T extends string> = PromClient.Histogram<T>;
