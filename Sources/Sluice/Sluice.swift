// The front door: `import Sluice` brings the workspace and everything its methods take and
// return (records, results, errors), and swift-log's `Logger` for the optional logger.
@_exported import Logging
@_exported import SluiceColumnar
@_exported import SluicePipeline
@_exported import SluiceSchema
@_exported import SluiceWarehouse
