/** ONNX Runtime behind one seam: the process's environment, opening models and reading their tensor signature. */
package dev.lattice.models.onnx;
