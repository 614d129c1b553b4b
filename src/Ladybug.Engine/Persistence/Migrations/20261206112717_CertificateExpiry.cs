using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ladybug.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CertificateExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AdminCertificateExpiresAt",
                table: "Clusters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ApiServerCertificateExpiresAt",
                table: "Clusters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificatesCheckMessage",
                table: "Clusters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CertificatesCheckedAt",
                table: "Clusters",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AdminCertificateExpiresAt",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "ApiServerCertificateExpiresAt",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "CertificatesCheckMessage",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "CertificatesCheckedAt",
                table: "Clusters");
        }
    }
}
