"""Where the simulated shops and their customers are: countries, streets, and addresses as Shopify
serves them (MailingAddress)."""
COUNTRIES = {"FR": "France", "US": "United States", "GB": "United Kingdom", "AU": "Australia"}
STREETS = {"FR": "rue de la Paix", "US": "Main Street", "GB": "High Street", "AU": "Beach Road"}


def mailing_address(profile, person, *, gid: str, house_number: int, phone: str | None, company: str | None = None,
                    address2: str | None = None) -> dict:
    """`person` (a store.records.Customer) at `house_number` on the country's street, in its city."""
    street = f"{house_number} {STREETS[profile.country_code]}"
    country = COUNTRIES[profile.country_code]
    return {
        "id": gid, "firstName": person.first_name, "lastName": person.last_name,
        "name": f"{person.first_name} {person.last_name}", "address1": street, "address2": address2,
        "city": person.city, "zip": person.zip, "provinceCode": person.province,
        "countryCodeV2": profile.country_code, "country": country, "phone": phone, "company": company,
        "coordinatesValidated": False,
        "formatted": [line for line in (company, street, address2, f"{person.zip} {person.city}", country) if line],
    }


def home_number(person) -> int:
    """The house number `person` lives at on the country's street."""
    return person.index % 89 + 1


def home_address(profile, person, *, gid: str, phone: str | None) -> dict:
    """Where `person` lives: a pool customer's default address, and where its orders bill to."""
    return mailing_address(profile, person, gid=gid, house_number=home_number(person), phone=phone)
