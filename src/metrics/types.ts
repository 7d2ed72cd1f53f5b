/**
 * Metrics as CloudWatch names them: a series is (namespace, metric name,
 * dimensions); datapoints are aggregated per period with a statistic. Shared by
 * the producers (data plane counters, instance samples, group sizes, apps'
 * PutMetricData), the store, alarms and scaling policies.
 */
export interface Dimension {
  name: string;
  value: string;
}

export interface SeriesKey {
  namespace: string;
  metricName: string;
  /** Order does not matter: series are keyed by the sorted dimension list. */
  dimensions: Dimension[];
}

/** One observation, or an aggregate of several taken within the same second. */
export interface MetricDatum extends SeriesKey {
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** A single value; or use statisticValues for a pre-aggregated set. */
  value?: number;
  statisticValues?: { sampleCount: number; sum: number; minimum: number; maximum: number };
  /**
   * Several raw values (each counts once towards percentiles). Together with
   * statisticValues (shoal's producers only; PutMetricData refuses the pair):
   * a uniform sample of the set's values, used for its percentiles.
   */
  values?: number[];
  /** With values: how many times each value occurred (PutMetricData's Counts); default 1 each. */
  counts?: number[];
  unit?: string;
}

export type Statistic = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' | `p${number}`;

export interface MetricQuery extends SeriesKey {
  statistic: Statistic;
  /** 1 s to 86400 s. */
  periodSeconds: number;
  /** Milliseconds since the epoch, start inclusive, end exclusive. */
  start: number;
  end: number;
}

export interface Datapoint {
  /** Start of the period. */
  timestamp: number;
  value: number;
  sampleCount: number;
  unit?: string;
}

/** What alarms and scaling policies read; what producers write. */
export interface MetricsStore {
  put(data: readonly MetricDatum[]): void;
  /** Datapoints in time order, one per period that has data (periods without data are absent). */
  query(q: MetricQuery): Datapoint[];
  /** Series that have data, optionally filtered (ListMetrics). */
  list(filter?: Partial<Pick<SeriesKey, 'namespace' | 'metricName'>> & { dimensions?: Dimension[] }): SeriesKey[];
}
