import { useQuery } from '@tanstack/react-query'
import { api, must } from '../api/client'
import { DataTable } from '../components/PagedList'
import { Loading, Page, ProblemAlert, formatDate } from '../components/ui'

export function Jobs() {
  const jobs = useQuery({
    queryKey: ['jobs'],
    queryFn: () => must(api.GET('/v1/admin/jobs', { params: { query: { limit: 50 } } })),
    refetchInterval: 30_000,
  })
  return (
    <Page title="Jobs">
      <ProblemAlert error={jobs.error} />
      {jobs.isPending ? (
        <Loading what="jobs" />
      ) : (
        jobs.data && (
          <>
            <DataTable
              label="Queues"
              rows={jobs.data.queues}
              rowKey={(q) => q.name}
              columns={[
                { header: 'Queue', cell: (q) => <code>{q.name}</code> },
                { header: 'Schedule', cell: (q) => q.schedule?.cron ?? '—' },
                {
                  header: 'Next run',
                  cell: (q) => (q.schedule?.nextRunAt ? formatDate(q.schedule.nextRunAt) : '—'),
                },
                { header: 'Active', cell: (q) => q.counts.active },
                { header: 'Waiting', cell: (q) => q.counts.created + q.counts.retry },
                { header: 'Failed', cell: (q) => q.counts.failed },
                { header: 'Completed', cell: (q) => q.counts.completed },
              ]}
            />
            <h2>Failed jobs</h2>
            {jobs.data.failed.data.length === 0 ? (
              <p>No failed jobs.</p>
            ) : (
              <ul className="compact">
                {jobs.data.failed.data.map((j) => (
                  <li key={j.id}>
                    <code>{j.queue}</code> {formatDate(j.failedAt)}:{' '}
                    {j.error ?? 'no error recorded'}
                  </li>
                ))}
              </ul>
            )}
          </>
        )
      )}
    </Page>
  )
}
