"""What the code knows of Ofsted and England's local authorities: names, regions, the field's
initials, report formats and their sections, grades, and Ofsted's reports site."""
