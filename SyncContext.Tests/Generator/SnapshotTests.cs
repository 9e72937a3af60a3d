namespace SyncContext.Tests.Generator;

public class SnapshotTests
{
    [Fact]
    public void A_mismatch_fails_and_writes_the_received_file()
    {
        var folder = Directory.CreateTempSubdirectory("snapshot-");
        try
        {
            var snapshots = Path.Combine(folder.FullName, "Snapshots");
            Directory.CreateDirectory(snapshots);
            File.WriteAllText(Path.Combine(folder.FullName, "Snapshots", "Sample.verified.cs"), "approved\n");

            Should.Throw<Xunit.Sdk.XunitException>(() => Snapshot.Match("changed\n", "Sample", snapshots));

            File.ReadAllText(Path.Combine(folder.FullName, "Snapshots", "Sample.received.cs")).ShouldBe("changed\n");
            Should.NotThrow(() => Snapshot.Match("approved\n", "Sample", snapshots));
            File.Exists(Path.Combine(folder.FullName, "Snapshots", "Sample.received.cs")).ShouldBeFalse();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Location_data_and_version_are_scrubbed()
        => Snapshot.Scrub("""[InterceptsLocation(1, "abc+/=")] [GeneratedCode("SyncContext.AspNetCore.Generator", "1.2.3.4")]""")
            .ShouldBe("""[InterceptsLocation(1, "{location}")] [GeneratedCode("SyncContext.AspNetCore.Generator", "{version}")]""");
}
