/**
 * PutMetricData's validation, with CloudWatch's limits and error codes: up to
 * 1000 datums per request, 30 dimensions per datum, 150 values per datum,
 * values within ±2^360 (and not NaN or infinite), timestamps from two weeks
 * ago to two hours ahead, namespaces not starting with "AWS/" (those are
 * shoal's own). Field names are the API's in camelCase.
 */
import { ShoalError } from '../core/errors.js';
import type { Dimension, MetricDatum } from './types.js';

export const LIMITS = {
  datumsPerRequest: 1000,
  dimensionsPerDatum: 30,
  valuesPerDatum: 150,
  nameLength: 255,
  dimensionValueLength: 1024,
  pastMs: 14 * 86_400_000,
  futureMs: 2 * 3_600_000,
} as const;

export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;

const MAX_MAGNITUDE = 2 ** 360;
const MIN_MAGNITUDE = 2 ** -360;

const invalid = (message: string) => new ShoalError('InvalidParameterValue', message, 400);
const missing = (message: string) => new ShoalError('MissingParameter', message, 400);
const combination = (message: string) => new ShoalError('InvalidParameterCombination', message, 400);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function name(v: unknown, field: string, max: number = LIMITS.nameLength): string {
  if (v === undefined || v === null || v === '') throw missing(`${field} is required`);
  if (typeof v !== 'string' || v.length > max) throw invalid(`${field} must be a string of 1 to ${max} characters`);
  return v;
}

function value(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${field} must be a finite number (NaN and Infinity are not supported)`);
  const m = Math.abs(v);
  if (m > MAX_MAGNITUDE || (m !== 0 && m < MIN_MAGNITUDE)) throw invalid(`${field} must be 0 or within 2^-360 to 2^360 in magnitude, got ${v}`);
  return v;
}

export function parseDimensions(v: unknown, field: string): Dimension[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalid(`${field} must be a list of {name, value}`);
  if (v.length > LIMITS.dimensionsPerDatum) throw invalid(`${field} has ${v.length} dimensions; at most ${LIMITS.dimensionsPerDatum} are allowed`);
  const seen = new Set<string>();
  return v.map((d: unknown, i) => {
    if (!isObj(d)) throw invalid(`${field}[${i}] must be {name, value}`);
    const n = name(d.name, `${field}[${i}].name`);
    if (seen.has(n)) throw invalid(`${field} names dimension ${n} twice`);
    seen.add(n);
    return { name: n, value: name(d.value, `${field}[${i}].value`, LIMITS.dimensionValueLength) };
  });
}

/** A timestamp as epoch milliseconds or an ISO 8601 string. */
export function parseTime(v: unknown, field: string): number {
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw invalid(`${field} must be epoch milliseconds or an ISO 8601 time`);
  return t;
}

function datum(d: unknown, namespace: string, i: number, now: number): MetricDatum {
  const at = `metricData[${i}]`;
  if (!isObj(d)) throw invalid(`${at} must be an object`);
  const out: MetricDatum = { namespace, metricName: name(d.metricName, `${at}.metricName`), dimensions: parseDimensions(d.dimensions, `${at}.dimensions`), timestamp: now };
  const given = (['value', 'values', 'statisticValues'] as const).filter((k) => d[k] !== undefined);
  if (given.length === 0) throw missing(`${at} needs one of value, values or statisticValues`);
  if (given.length > 1) throw combination(`${at}: ${given.join(' and ')} are mutually exclusive`);
  if (d.value !== undefined) out.value = value(d.value, `${at}.value`);
  if (d.values !== undefined) {
    if (!Array.isArray(d.values) || d.values.length === 0 || d.values.length > LIMITS.valuesPerDatum) {
      throw invalid(`${at}.values must be a list of 1 to ${LIMITS.valuesPerDatum} numbers`);
    }
    out.values = d.values.map((v, j) => value(v, `${at}.values[${j}]`));
    if (d.counts !== undefined) {
      if (!Array.isArray(d.counts) || d.counts.length !== d.values.length) throw combination(`${at}.counts must have one count per value`);
      out.counts = d.counts.map((c, j) => {
        if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw invalid(`${at}.counts[${j}] must be a number >= 0`);
        return c;
      });
    }
  } else if (d.counts !== undefined) throw combination(`${at}.counts goes with values`);
  if (d.statisticValues !== undefined) {
    const s = d.statisticValues;
    if (!isObj(s)) throw invalid(`${at}.statisticValues must be {sampleCount, sum, minimum, maximum}`);
    const sv = {
      sampleCount: value(s.sampleCount, `${at}.statisticValues.sampleCount`),
      sum: value(s.sum, `${at}.statisticValues.sum`),
      minimum: value(s.minimum, `${at}.statisticValues.minimum`),
      maximum: value(s.maximum, `${at}.statisticValues.maximum`),
    };
    if (sv.sampleCount <= 0) throw invalid(`${at}.statisticValues.sampleCount must be above 0`);
    if (sv.minimum > sv.maximum) throw invalid(`${at}.statisticValues.minimum is above its maximum`);
    out.statisticValues = sv;
  }
  if (d.timestamp !== undefined) {
    const t = parseTime(d.timestamp, `${at}.timestamp`);
    if (t < now - LIMITS.pastMs || t > now + LIMITS.futureMs) {
      throw invalid(`${at}.timestamp must be within the last two weeks and at most two hours ahead`);
    }
    out.timestamp = t;
  }
  if (d.unit !== undefined) {
    if (typeof d.unit !== 'string' || !(UNITS as readonly string[]).includes(d.unit)) throw invalid(`${at}.unit must be one of ${UNITS.join(', ')}`);
    out.unit = d.unit;
  }
  if (d.storageResolution !== undefined && d.storageResolution !== 1 && d.storageResolution !== 60) {
    throw invalid(`${at}.storageResolution must be 1 or 60`);
  }
  return out;
}

/** Validates a PutMetricData body ({namespace, metricData}) into datums; throws a ShoalError with AWS's code. */
export function parsePutMetricData(body: unknown, now: number): MetricDatum[] {
  if (!isObj(body)) throw invalid('the body must be {"namespace": ..., "metricData": [...]}');
  const namespace = name(body.namespace, 'namespace');
  if (namespace.startsWith('AWS/')) throw invalid(`namespace ${namespace}: namespaces starting with "AWS/" are reserved for shoal's own metrics`);
  if (namespace.startsWith(':')) throw invalid('namespace must not start with ":"');
  const data = body.metricData;
  if (!Array.isArray(data) || data.length === 0) throw missing('metricData must be a non-empty list');
  if (data.length > LIMITS.datumsPerRequest) throw invalid(`metricData has ${data.length} items; at most ${LIMITS.datumsPerRequest} per request`);
  return data.map((d, i) => datum(d, namespace, i, now));
}
