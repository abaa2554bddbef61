import { defineCheck } from '../src/core/index.js';
import { datasetFindings } from '../src/dataset/findings.js';

export default defineCheck({
  id: 'dataset.json',
  title: 'dataset.json syntax and required keys',
  category: 'dataset',
  rank: 20,
  needs: ['dataset'],
  run: ({ dataset }) => datasetFindings(dataset, 'json'),
});
