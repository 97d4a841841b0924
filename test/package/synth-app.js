/* eslint-disable @typescript-eslint/no-require-imports -- a consumer's plain CommonJS app, loaded by Node.js as is */
// What `cdk synth` runs in a consumer's app, as plain CommonJS so that Node.js loads it without a TypeScript
// toolchain: three stacks embedding the construct, optionally checked by cdk-nag. Prints one JSON line.
const fs = require('node:fs');
const path = require('node:path');
const { App, Stack, Validations } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const { Reader, StatsigS3Ingestion } = require('cdk-statsig-s3-ingestion');

const [outdir, nag] = process.argv.slice(2);
const app = new App({ outdir });
new StatsigS3Ingestion(new Stack(app, 'Defaults'), 'Statsig');
new StatsigS3Ingestion(new Stack(app, 'Principal'), 'Statsig', {
  reader: Reader.statsigPrincipal('arn:aws:iam::999689269917:user/statsig'),
});
const imported = new Stack(app, 'Imported');
new StatsigS3Ingestion(imported, 'Statsig', { bucket: s3.Bucket.fromBucketName(imported, 'Data', 'existing-data') });
if (nag === 'nag') {
  const { AwsSolutionsChecks } = require('cdk-nag');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

let error;
try {
  app.synth();
} catch (thrown) {
  error = String(thrown);
}
const reportFile = path.join(outdir, 'validation-report.json');
const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
const violations = report.pluginReports.flatMap((plugin) => plugin.violations ?? []).map((v) => v.ruleName);
let esbuild = true;
try {
  require.resolve('esbuild');
} catch {
  esbuild = false;
}
const templates = fs.readdirSync(outdir).filter((file) => file.endsWith('.template.json'));
const assets = fs.readdirSync(outdir).filter((file) => file.startsWith('asset.'));
const bundles = assets.filter((asset) => fs.existsSync(path.join(outdir, asset, 'row-group-worker.js')));
process.stdout.write(`${JSON.stringify({ error, violations, esbuild, templates, bundles })}\n`);
