package dev.lattice.workloads;

/** API.md's node states: READY (heard from within 3 s), NOT_READY (silent), DRAINING (asked to empty). */
public enum NodeStatus { READY, NOT_READY, DRAINING }
