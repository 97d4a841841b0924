import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { StatsigDataset } from './data-options';

/** Options of the construct's `metric…()` helpers: aws-cdk's metric options, and the dataset to break down by. */
export interface IngestionMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The dataset whose series to read.
   * @default - the total over every dataset
   */
  readonly dataset?: StatsigDataset;
}
