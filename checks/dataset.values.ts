import { defineCheck } from '../src/core/index.js';
import { datasetFindings } from '../src/dataset/findings.js';

export default defineCheck({
  id: 'dataset.values',
  title: 'Image intensities (NaN, Inf, constant, HU)',
  category: 'dataset',
  needs: ['dataset'],
  run: ({ dataset }) => datasetFindings(dataset, 'values'),
});
