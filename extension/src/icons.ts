import { LabIcon } from '@jupyterlab/ui-components';

import hubmlSvgstr from '../style/icons/hubml.svg';

/** The hubml logo: a hub node joined to four others. */
export const hubmlIcon = new LabIcon({
  name: 'hubml:logo',
  svgstr: hubmlSvgstr
});
