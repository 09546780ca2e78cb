// The "upload a model" form (admin, data scientist): the ONNX file, its contract and its config,
// sent as one multipart request with a progress bar (upload-form.js).

import { uploadForm } from './upload-form.js';

/** The form; `uploaded({name, version, status})` is called after each upload the API accepts. */
export function modelUploadForm(pg, uploaded) {
  return uploadForm(pg, {
    prefix: 'model-upload',
    path: '/api/v1/models',
    title: 'Upload a model',
    note: 'a new version of a known name adds a version',
    files: [
      { part: 'model', label: 'Model', accept: '.onnx', hint: 'ONNX (.onnx)', what: 'the model file (.onnx)' },
      { part: 'contract', label: 'Contract', accept: '.yaml,.yml,.json,.py', what: 'the contract (.yaml, .json or .py)',
        hint: 'how a JSON request becomes the model\'s input and its output an answer (.yaml, .json, or Python: .py)' },
      { part: 'config', label: 'Config', accept: '.yaml,.yml,.json', what: 'the config (.yaml or .json)',
        hint: 'name, version, replicas, resources; for a .py contract its example and caps (.yaml or .json)' },
    ],
    // the config's fields are checked by the API ("name: ...", "version: ..."): they are about the config file
    about: (inputs) => ['name', 'version', 'format', 'replicas', 'resources', 'example', 'contract'].map((k) => [k, inputs.config]),
    done: (made) => `Uploaded ${made.name} version ${made.version} (${made.status}).`,
    uploaded,
  });
}
