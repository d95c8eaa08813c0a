"""Strings of the shared PostgreSQL/PostGIS store: connection problems, the fallback, `store copy`."""

STRINGS: dict[str, tuple[str, str]] = {
    "pgstore.bad_url": (
        "Alamat basis data KOTAKU_DATABASE_URL tidak valid ({target}). Bentuknya: "
        "postgresql://pengguna:sandi@host:5432/nama_db.",
        "The database address KOTAKU_DATABASE_URL is not valid ({target}). It looks like "
        "postgresql://user:password@host:5432/dbname.",
    ),
    "pgstore.auth": (
        "Basis data {target} menolak login: nama pengguna atau kata sandi salah.",
        "The database {target} refused the login: wrong user name or password.",
    ),
    "pgstore.no_database": (
        "Server {target} berjalan, tetapi basis data itu tidak ada. Buat dulu dengan createdb.",
        "The server {target} is running but that database does not exist. Create it with createdb first.",
    ),
    "pgstore.unreachable": (
        "Server basis data {target} tidak dapat dihubungi (mati, alamat/port salah, atau diblokir firewall).",
        "The database server {target} cannot be reached (down, wrong host/port, or blocked by a firewall).",
    ),
    "pgstore.no_postgis": (
        "Ekstensi PostGIS belum aktif di basis data ini dan pengguna ini tidak boleh mengaktifkannya. "
        "Minta admin menjalankan: CREATE EXTENSION postgis;",
        "The PostGIS extension is not enabled in this database and this user may not enable it. "
        "Ask the admin to run: CREATE EXTENSION postgis;",
    ),
    "pgstore.postgis_not_installed": (
        "PostGIS tidak terpasang di server basis data ini. Pasang paketnya (Debian: postgresql-15-postgis-3).",
        "PostGIS is not installed on this database server. Install its package (Debian: postgresql-15-postgis-3).",
    ),
    "pgstore.failed": (
        "Basis data {target} tidak dapat dipakai: {detail}",
        "The database {target} cannot be used: {detail}",
    ),
    "pgstore.read_only": (
        "Akun basis data ini hanya boleh membaca ({target}); menyimpan memerlukan akun penyunting.",
        "This database account may only read ({target}); saving needs an editor account.",
    ),
    "pgstore.fallback": (
        "Dasbor memakai folder data lokal (GeoPackage) untuk sementara. Data di basis data bersama "
        "tidak terlihat sampai masalah ini diperbaiki.",
        "The dashboard uses the local data folder (GeoPackage) for now. Data in the shared database is "
        "not visible until this is fixed.",
    ),
    "pgstore.copy_done": (
        "{count} versi dataset {name} disalin ke {target}.",
        "{count} versions of dataset {name} copied to {target}.",
    ),
    "pgstore.copy_exists": (
        "Tujuan {target} sudah berisi dataset {name}. Pilih nama lain dengan --as.",
        "The target {target} already holds a dataset {name}. Choose another name with --as.",
    ),
    "pgstore.copy_no_versions": (
        "Dataset {name} tidak punya versi untuk disalin.",
        "Dataset {name} has no versions to copy.",
    ),
}
