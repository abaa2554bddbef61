import { defineCheck } from '../src/core/index.js';
import { datasetFindings } from '../src/dataset/findings.js';

export default defineCheck({
  id: 'dataset.files',
  title: 'File names, channels and image/label pairs',
  category: 'dataset',
  needs: ['dataset'],
  run: ({ dataset }) => datasetFindings(dataset, 'files'),
});
