// SyncContext sample.
//   dotnet run --project samples/SyncContext.Sample            a before/after demo under load (about 30 s)
//   dotnet run --project samples/SyncContext.Sample -- serve   serves the app on http://127.0.0.1:5080
using SyncContext.Sample;

return args is ["serve", ..]
    ? await SampleServer.RunAsync(args[1..])
    : await Demo.RunAsync();
