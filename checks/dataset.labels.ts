import { defineCheck } from '../src/core/index.js';
import { datasetFindings } from '../src/dataset/findings.js';

export default defineCheck({
  id: 'dataset.labels',
  title: 'Label definitions in dataset.json',
  category: 'dataset',
  needs: ['dataset'],
  run: ({ dataset }) => datasetFindings(dataset, 'labels'),
});
