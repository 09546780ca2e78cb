/**
 * Python contracts: {@code contract.py} run by a pool of warm, self-confining Python worker
 * processes ({@code contract_worker.py}), and the pipeline that puts one around an ONNX session.
 */
package dev.lattice.models.python;
