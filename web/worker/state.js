/* The worker's state, in one object: every worker module reads and changes it here (nothing
 * else is shared between them). */
export const worker = {
  config: null, // from the page's "init": config.js, plus indexURL and otherTabMessage
  pyodide: null, // the Pyodide instance, once loaded
  bridge: null, // the Python module cartable.bridge, once imported
  bridgeCall: null, // bridge.call (JSON, base64 bytes), once the school database is open;
  //                  page calls use bridge.call_blobs (bytes beside the JSON, commands.js)
  persistFailed: false, // the last save failed: the page shows a warning until one succeeds
  pendingBackup: null, // [key, bytes] of unreadable data to keep, written with the next save
  damaged: null, // {bytes} while the stored database cannot be opened (damaged.js)
  refuseCalls: false, // another tab is taking over: no new command runs
  stopped: false, // another tab took over: nothing is written to IndexedDB any more
  stored: null, // the bytes IndexedDB holds (store.js: chunks), null when not known
  lastSave: null, // {chunks, size}: how many chunks the last save wrote (tests, benchmarks)
  saving: Promise.resolve(true), // the last save asked (saves run one after the other)
};
