// Reports: costs (JSON or CSV), the running cycle's forecast, spikes and charge explanations.
import { catalogOfAccount } from './eventData';
import { stringify } from 'csv-stringify/sync';
import { Router } from 'express';
import { costReportRecords, GROUP_BY } from '../domain/report/CostReport';
import type { Context } from '../usecases/Context';
import { explainCharge, forecastAccount, reportCosts, reportSpikes } from '../usecases/reports';
import { DomainFailure, validationFailed } from '../domain/errors';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { costReportQuery, eventQuery, forecastQuery, spikesQuery } from './schemas';

export function reportRoutes(context: Context): Router {
  const router = Router();

  router.get('/reports/costs', async (req, res) => {
    const query = costReportQuery.parse(req.query);
    // An account's report groups by its catalog version's dimensions; one over all accounts by the latest's.
    const catalog = query.account ? await catalogOfAccount(context, query.account) : await context.catalogs.latestCatalog();
    const dimensions = [...GROUP_BY, ...eventSchemaFor(catalog).dimensions];
    const unknown = query.groupBy.find((g) => !dimensions.includes(g));
    if (unknown !== undefined)
      throw new DomainFailure(validationFailed('groupBy', `must be a comma-separated list of ${dimensions.join(', ')}; '${unknown}' is none`));
    const report = await reportCosts(context, query);
    const csv = query.format === 'csv' || (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
    if (!csv) {
      res.json(report);
      return;
    }
    const { header, records } = costReportRecords(report);
    const name = `costs-${report.account ?? 'all'}-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`;
    res
      .type('text/csv; charset=utf-8')
      .attachment(name)
      .send(stringify(records, { header: true, columns: header }));
  });

  router.get('/reports/forecast', async (req, res) => {
    const { account } = forecastQuery.parse(req.query);
    res.json(await forecastAccount(context, account));
  });

  router.get('/reports/spikes', async (req, res) => {
    res.json(await reportSpikes(context, spikesQuery.parse(req.query)));
  });

  router.get('/events/:id/explanation', async (req, res) => {
    const { account } = eventQuery.parse(req.query);
    res.json(await explainCharge(context, account, req.params.id));
  });

  return router;
}
