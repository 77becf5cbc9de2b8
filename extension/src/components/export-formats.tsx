import { downloadIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { api } from '../api';
import { messageOf } from '../models/resource';
import { ErrorNote, useHubML } from './common';

type Trans = ReturnType<typeof useHubML>['trans'];

/** What each export format is, for the chip's tooltip. */
function describe(format: string, trans: Trans): string {
  switch (format) {
    case 'mlflow':
      return trans.__(
        'MLflow model directory (zip): loads with mlflow.pyfunc.load_model, serves with mlflow models serve'
      );
    case 'joblib':
      return trans.__(
        'scikit-learn pipeline saved with joblib: joblib.load(path).predict(X)'
      );
    case 'onnx':
      return trans.__(
        'ONNX graph for onnxruntime and other ONNX runtimes, float32 input X'
      );
    case 'keras':
      return trans.__(
        'Keras .keras file with hubml.json (task, classes, features), zipped: keras.models.load_model'
      );
    case 'savedmodel':
      return trans.__(
        'TensorFlow SavedModel folder with hubml.json, zipped: for TensorFlow Serving or tf.saved_model.load'
      );
    case 'torchscript':
      return trans.__(
        'TorchScript file with hubml.json, zipped: torch.jit.load, no Python class needed'
      );
    case 'state_dict':
      return trans.__(
        'PyTorch state_dict with its constructor arguments: torch.load(weights_only=True)'
      );
    case 'mojo':
      return trans.__(
        'H2O MOJO with hubml_h2o.json, zipped: scores in Java without an H2O cluster'
      );
    case 'h2o_binary':
      return trans.__(
        'H2O binary model with hubml_h2o.json, zipped: h2o.upload_model with the same H2O version'
      );
    default:
      return trans.__('Export as %1', format);
  }
}

/**
 * The export formats of a model version as download buttons: a click builds the export on
 * the server (once; it is kept in the project) and saves the file.
 */
export function ExportFormats(props: {
  project: string;
  name: string;
  version: number;
  formats: string[];
}): JSX.Element {
  const { trans } = useHubML();
  const [busy, setBusy] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [saved, setSaved] = React.useState<string | null>(null);

  const download = async (format: string) => {
    setBusy(format);
    setError(null);
    setSaved(null);
    try {
      setSaved(
        await api.downloadExport(props.project, props.name, props.version, format)
      );
    } catch (reason) {
      setError(messageOf(reason));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="jp-hubml-exports">
      <h3 className="jp-hubml-section-title">{trans.__('Export formats')}</h3>
      <ul className="jp-hubml-chips">
        {props.formats.map(format => (
          <li key={format}>
            <button
              type="button"
              className="jp-hubml-chip jp-hubml-format"
              data-format={format}
              title={`${describe(format, trans)}. ${trans.__('Click to download.')}`}
              aria-busy={busy === format}
              disabled={busy !== null}
              onClick={() => void download(format)}
            >
              <downloadIcon.react tag="span" className="jp-hubml-format-icon" />
              {busy === format ? trans.__('%1 (preparing…)', format) : format}
            </button>
          </li>
        ))}
      </ul>
      {saved && (
        <p className="jp-hubml-muted jp-hubml-export-saved">
          {trans.__('Downloaded %1', saved)}
        </p>
      )}
      <ErrorNote title={trans.__('Could not export the model.')} message={error} />
    </section>
  );
}
