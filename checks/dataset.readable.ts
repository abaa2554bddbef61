import { defineCheck } from '../src/core/index.js';
import { datasetFindings } from '../src/dataset/findings.js';

export default defineCheck({
  id: 'dataset.readable',
  title: 'Every image and label file reads completely',
  category: 'dataset',
  needs: ['dataset'],
  run: ({ dataset }) => datasetFindings(dataset, 'readable'),
});
