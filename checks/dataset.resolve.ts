import { defineCheck } from '../src/core/index.js';
import { datasetFindings } from '../src/dataset/findings.js';

export default defineCheck({
  id: 'dataset.resolve',
  title: 'Dataset found the way nnU-Net finds it',
  category: 'dataset',
  rank: 10,
  needs: ['dataset'],
  run: ({ dataset }) => datasetFindings(dataset, 'resolve'),
});
