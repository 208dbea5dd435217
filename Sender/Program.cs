using Notify.Sender;

var builder = WebApplication.CreateBuilder(args);

// Storage: the queue (IMessageQueue) and the metadata store (IMetadataStore) are registered here.
builder.AddNotifySender();

builder.Build().Run();
