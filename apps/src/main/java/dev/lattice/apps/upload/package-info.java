/** Uploading an app version: the config, jar and bundle checks, and the version records. */
package dev.lattice.apps.upload;
