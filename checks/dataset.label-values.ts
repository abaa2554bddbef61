import { defineCheck } from '../src/core/index.js';
import { datasetFindings } from '../src/dataset/findings.js';

export default defineCheck({
  id: 'dataset.label-values',
  title: 'Label map values',
  category: 'dataset',
  needs: ['dataset'],
  run: ({ dataset }) => datasetFindings(dataset, 'label-values'),
});
