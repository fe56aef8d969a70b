// Demo dataset of Bangladesh bus stations. Written by the Travio project from public geographic
// facts (approximate coordinates of each town centre or its main bus terminal, rounded to four
// decimals); no third-party dataset was copied.

#include "services/catalog/seed/bangladesh_stations.h"

namespace travio::catalog {
namespace {

constexpr DemoStation kBangladeshStations[] = {
    // Divisional cities.
    {"DHK", "Dhaka", "Dhaka", 23.8103, 90.4125},
    {"CTG", "Chattogram", "Chattogram", 22.3475, 91.8123},
    {"SYL", "Sylhet", "Sylhet", 24.8990, 91.8710},
    {"RAJ", "Rajshahi", "Rajshahi", 24.3700, 88.6000},
    {"KHL", "Khulna", "Khulna", 22.8200, 89.5500},
    {"BSL", "Barishal", "Barishal", 22.7000, 90.3660},
    {"RNG", "Rangpur", "Rangpur", 25.7460, 89.2550},
    {"MYM", "Mymensingh", "Mymensingh", 24.7500, 90.4050},

    // Dhaka division.
    {"GZP", "Gazipur", "Gazipur", 23.9990, 90.4200},
    {"NJG", "Narayanganj", "Narayanganj", 23.6200, 90.5000},
    {"NSD", "Narsingdi", "Narsingdi", 23.9230, 90.7180},
    {"MNK", "Manikganj", "Manikganj", 23.8620, 90.0020},
    {"TNG", "Tangail", "Tangail", 24.2500, 89.9200},
    {"KGJ", "Kishoreganj", "Kishoreganj", 24.4400, 90.7800},
    {"FRD", "Faridpur", "Faridpur", 23.6070, 89.8420},
    {"GPG", "Gopalganj", "Gopalganj", 23.0060, 89.8250},
    {"MDP", "Madaripur", "Madaripur", 23.1700, 90.1990},

    // Chattogram division.
    {"CXB", "Cox's Bazar", "Cox's Bazar", 21.4390, 91.9810},
    {"TKF", "Teknaf", "Teknaf", 20.8640, 92.3020},
    {"BDB", "Bandarban", "Bandarban", 22.1970, 92.2170},
    {"RGM", "Rangamati", "Rangamati", 22.6500, 92.1800},
    {"KHC", "Khagrachhari", "Khagrachhari", 23.1170, 91.9840},
    {"CML", "Cumilla", "Cumilla", 23.4620, 91.1850},
    {"FNI", "Feni", "Feni", 23.0150, 91.3970},
    {"NKL", "Noakhali", "Noakhali", 22.8690, 91.0990},
    {"LXP", "Lakshmipur", "Lakshmipur", 22.9440, 90.8300},
    {"CDP", "Chandpur", "Chandpur", 23.2320, 90.6630},
    {"BBR", "Brahmanbaria", "Brahmanbaria", 23.9580, 91.1120},
    {"AKH", "Akhaura", "Akhaura", 23.8670, 91.2030},

    // Sylhet division.
    {"SMG", "Sreemangal", "Sreemangal", 24.3080, 91.7300},
    {"MLV", "Moulvibazar", "Moulvibazar", 24.4820, 91.7750},
    {"HBJ", "Habiganj", "Habiganj", 24.3800, 91.4150},
    {"SNG", "Sunamganj", "Sunamganj", 25.0680, 91.3980},
    {"TMB", "Tamabil", "Tamabil", 25.1760, 92.0250},

    // Rajshahi division.
    {"BOG", "Bogura", "Bogura", 24.8480, 89.3730},
    {"CNB", "Chapai Nawabganj", "Chapai Nawabganj", 24.5960, 88.2730},
    {"NAO", "Naogaon", "Naogaon", 24.8020, 88.9400},
    {"NTR", "Natore", "Natore", 24.4130, 88.9950},
    {"PBN", "Pabna", "Pabna", 24.0060, 89.2400},
    {"SRG", "Sirajganj", "Sirajganj", 24.4560, 89.7050},

    // Khulna division.
    {"JSR", "Jashore", "Jashore", 23.1670, 89.2130},
    {"BNP", "Benapole", "Benapole", 23.0430, 88.8950},
    {"STK", "Satkhira", "Satkhira", 22.7170, 89.0720},
    {"KUS", "Kushtia", "Kushtia", 23.9030, 89.1220},
    {"JND", "Jhenaidah", "Jhenaidah", 23.5450, 89.1700},
    {"MGR", "Magura", "Magura", 23.4860, 89.4200},
    {"NRL", "Narail", "Narail", 23.1690, 89.5000},
    {"BGH", "Bagerhat", "Bagerhat", 22.6550, 89.7900},

    // Barishal division.
    {"PTK", "Patuakhali", "Patuakhali", 22.3600, 90.3300},
    {"KUA", "Kuakata", "Kuakata", 21.8170, 90.1220},
    {"PRJ", "Pirojpur", "Pirojpur", 22.5800, 89.9750},
    {"BHL", "Bhola", "Bhola", 22.6860, 90.6480},

    // Rangpur division.
    {"DNJ", "Dinajpur", "Dinajpur", 25.6270, 88.6370},
    {"HIL", "Hili", "Hili", 25.2800, 89.0050},
    {"SDP", "Saidpur", "Saidpur", 25.7780, 88.8930},
    {"NLP", "Nilphamari", "Nilphamari", 25.9310, 88.8560},
    {"TKG", "Thakurgaon", "Thakurgaon", 26.0320, 88.4620},
    {"PNC", "Panchagarh", "Panchagarh", 26.3350, 88.5520},
    {"LMH", "Lalmonirhat", "Lalmonirhat", 25.9170, 89.4500},
    {"BRM", "Burimari", "Burimari", 26.4050, 88.9330},
    {"KRG", "Kurigram", "Kurigram", 25.8070, 89.6360},
    {"GBD", "Gaibandha", "Gaibandha", 25.3290, 89.5420},

    // Mymensingh division.
    {"JML", "Jamalpur", "Jamalpur", 24.9220, 89.9450},
    {"NTK", "Netrokona", "Netrokona", 24.8790, 90.7270},
};

}  // namespace

std::span<const DemoStation> BangladeshStations() { return kBangladeshStations; }

}  // namespace travio::catalog
