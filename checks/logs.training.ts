import { defineCheck, info, skip } from '../src/core/index.js';
import { logFindings } from '../src/logs/findings.js';

export default defineCheck({
  id: 'logs.training',
  title: 'Newest training log',
  category: 'logs',
  needs: ['trainingLog'],
  run({ trainingLog }) {
    if (!trainingLog.ok) return skip(trainingLog.reason);
    const { run } = trainingLog;
    const which = run.trainer ? `${run.dataset} ${run.trainer}__${run.plans}__${run.configuration} fold ${run.fold}` : trainingLog.path;
    return [
      info(`read ${which} (written ${trainingLog.modifiedAt})`, { evidence: { path: trainingLog.path, debug: trainingLog.debug } }),
      ...logFindings(trainingLog.explanation),
    ];
  },
});
