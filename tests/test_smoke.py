from tests.factories import make_complaint


def test_intake_staff_sees_the_complaint_they_registered_in_the_list(app, login_as):
    c = login_as("intake")
    complaint = make_complaint(app, registered_by=c.user)
    page = c.get("/complaints").get_data(as_text=True)
    assert complaint.number in page


def test_list_issues_a_fixed_number_of_queries_whatever_the_page_size(app, login_as, count_queries):
    c = login_as("manager")
    for _ in range(3):
        make_complaint(app)
    with count_queries() as few:
        c.get("/complaints")
    for _ in range(10):
        make_complaint(app)
    with count_queries() as many:
        c.get("/complaints")
    assert few.count == many.count, (few.statements, many.statements)
