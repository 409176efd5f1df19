/** One row of the benchmark table `npm run bench` prints. */
export interface Row {
  name: string;
  median: string;
  spread: string;
  memory: string;
  budget: string;
  verdict: string;
}
