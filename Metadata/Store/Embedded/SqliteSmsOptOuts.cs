using System.Text.Json;

namespace Notify.Metadata.Store.Embedded;

/// <summary>The SMS opt-out list in the metadata file: one row per opted-out number.</summary>
internal sealed class SqliteSmsOptOuts(SqliteMetadataFile file)
{
    public Task SetAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken) =>
        file.WriteAsync(async connection =>
    {
        await using var command = connection.CreateCommand();
        // Only opted-out numbers have a row, so opting back in deletes it. Opting out again keeps the
        // first time, as confirming again does.
        command.CommandText = optedOut
            ? "INSERT INTO sms_opt_outs (phone_number, opted_out_at) VALUES ($number, $now) ON CONFLICT (phone_number) DO NOTHING"
            : "DELETE FROM sms_opt_outs WHERE phone_number = $number";
        command.Parameters.AddWithValue("$number", phoneNumber);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync();
    }, cancellationToken);

    public async Task<IReadOnlySet<string>> GetOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken)
    {
        var optedOut = new HashSet<string>(StringComparer.Ordinal);
        if (phoneNumbers.Count == 0)
        {
            return optedOut;
        }

        await using var connection = await file.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The numbers go in as one JSON array, not one parameter each: a topic may have more SMS
        // subscribers than a statement may have parameters.
        command.CommandText = """
            SELECT phone_number FROM sms_opt_outs
            WHERE phone_number IN (SELECT value FROM json_each($numbers))
            """;
        command.Parameters.AddWithValue("$numbers", JsonSerializer.Serialize(phoneNumbers));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            optedOut.Add(reader.GetString(0));
        }

        return optedOut;
    }
}
