import { useQuery } from '@tanstack/react-query'
import { api, must } from '../api/client'
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
            <div className="table-wrap" role="region" aria-label="Queues" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Queue</th>
                    <th scope="col">Schedule</th>
                    <th scope="col">Next run</th>
                    <th scope="col">Active</th>
                    <th scope="col">Waiting</th>
                    <th scope="col">Failed</th>
                    <th scope="col">Completed</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.data.queues.map((q) => (
                    <tr key={q.name}>
                      <td>
                        <code>{q.name}</code>
                      </td>
                      <td>{q.schedule?.cron ?? '—'}</td>
                      <td>{q.schedule?.nextRunAt ? formatDate(q.schedule.nextRunAt) : '—'}</td>
                      <td>{q.counts.active}</td>
                      <td>{q.counts.created + q.counts.retry}</td>
                      <td>{q.counts.failed}</td>
                      <td>{q.counts.completed}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
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
